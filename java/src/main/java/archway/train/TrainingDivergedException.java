package archway.train;

import archway.UserError;

/** The loss became NaN or infinite; the message names epoch and step and where the last checkpoint is. */
public final class TrainingDivergedException extends UserError {
    private static final long serialVersionUID = 1L;

    public TrainingDivergedException(String message) {
        super(message);
    }
}
