package archway.runtime.cuda;

/** What the step runner does with one run of a bound step list. */
public enum GraphAction {
    /** Run the steps one by one (first run: cuDNN/cuBLAS initialise lazily, which capture forbids). */
    EAGER,
    /** Capture the steps into a new CUDA graph, then launch it. */
    CAPTURE,
    /** Drop the graph captured for another skip pattern, capture anew, launch. */
    RECAPTURE,
    /** Launch the graph captured before. */
    REPLAY
}
