package dev.denoise.app.photos;

/**
 * What the camera screen shows.
 *
 * @param phase where the camera flow is
 * @param error why the camera cannot run, in phase ERROR, else null
 */
public record CameraUiState(Phase phase, String error) {

    public enum Phase {
        /** The system permission dialog is up. */
        REQUESTING_PERMISSION,
        /** Refused once: explain, offer to ask again. */
        PERMISSION_RATIONALE,
        /** Refused for good: only Settings can allow it. */
        PERMISSION_DENIED,
        /** Opening the camera. */
        STARTING,
        /** The preview runs; a photo can be taken. */
        READY,
        /** A still is being taken. */
        CAPTURING,
        ERROR
    }

    public static CameraUiState of(Phase phase) {
        return new CameraUiState(phase, null);
    }

    public static CameraUiState error(String message) {
        return new CameraUiState(Phase.ERROR, message);
    }

    /**
     * The state after the permission dialog: granted starts the camera; refused shows the
     * rationale while the system would still ask again, else the denied state.
     */
    public static CameraUiState afterPermission(boolean granted, boolean canAskAgain) {
        if (granted) {
            return of(Phase.STARTING);
        }
        return of(canAskAgain ? Phase.PERMISSION_RATIONALE : Phase.PERMISSION_DENIED);
    }
}
