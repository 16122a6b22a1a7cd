package archway.run;

/** How a run treats its directory when it starts. */
public enum RunStart {
    /** A new run: the directory must not hold a run already. */
    NEW,
    /** A new run replacing the run in the directory (--overwrite): says what it replaces. */
    OVERWRITE,
    /** Continue from checkpoint.bin (--resume). */
    RESUME,
    /** Continue from checkpoint.prev.bin, the one before the latest (--resume-from-previous). */
    RESUME_FROM_PREVIOUS;

    public boolean resumes() {
        return this == RESUME || this == RESUME_FROM_PREVIOUS;
    }

    /** The start a plain boolean resume flag asks for. */
    public static RunStart of(boolean resume) {
        return resume ? RESUME : NEW;
    }
}
