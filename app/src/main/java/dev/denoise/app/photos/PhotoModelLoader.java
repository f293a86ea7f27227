package dev.denoise.app.photos;

import dev.denoise.app.models.DelegateChoice;
import dev.denoise.core.image.ImageModel;

/** Opens the photo model for one run; the caller closes it. */
public interface PhotoModelLoader {

    /** An opened model and what it runs on, e.g. "GPU, float32". */
    record Opened(ImageModel model, String runsOn) {
    }

    /**
     * Opens the model on {@code delegate}, walking its fallback chain.
     *
     * @throws Exception anything (missing file, bad manifest, a native library that will not load,
     *     a delegate that refuses the graph); the controller then runs the classic path with a note
     */
    Opened open(DelegateChoice delegate) throws Exception;
}
