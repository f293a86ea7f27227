package dev.denoise.app.photos;

import dev.denoise.app.models.DelegateChoice;
import dev.denoise.app.photos.PhotoPlatform.OpenedPhoto;
import dev.denoise.app.photos.PhotoPlatform.PhotoOutput;
import dev.denoise.app.photos.PhotoUiState.Method;
import dev.denoise.app.photos.PhotoUiState.Phase;
import dev.denoise.core.Progress;
import dev.denoise.core.image.BlendedDenoiser;
import dev.denoise.core.image.ImageDenoiser;
import dev.denoise.core.image.ImageTiler;
import dev.denoise.core.image.NeuralImageDenoiser;
import dev.denoise.core.image.Noise2SelfCalibrator;
import dev.denoise.core.image.NonLocalMeansDenoiser;
import dev.denoise.core.image.PcaNoiseLevelEstimator;
import dev.denoise.core.image.PlanarImage;
import dev.denoise.core.image.StrengthCalibrator;
import dev.denoise.core.image.TileSource;
import java.io.IOException;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Executor;
import java.util.function.Consumer;

/**
 * The photo screen's logic, plain Java over {@link PhotoPlatform}: open a photo (gallery or
 * camera), find its noise level (camera metadata, else estimated from the photo), denoise it at
 * full resolution in tiles with progress and cancel, compare (whole photo and 100 % crops), save a
 * copy, share it. The original is only ever read.
 *
 * <p>Memory: full-resolution pixels are read by region and written in strips; the Java heap holds
 * the tiler's strip accumulator and finished rows, {@code 2 · tile · width · 3} floats, with the
 * tile side chosen so that is at most {@link #STRIP_BUDGET_BYTES} twice, plus two previews and the
 * tile being denoised. The output's pixels (4 bytes each, native memory) are the platform's.
 *
 * <p>Threads: long work runs on {@code background}, one job at a time; state changes are delivered
 * on {@code main}; public methods are called on the main thread.
 */
public final class PhotoDenoiseController {
    /** Largest photo accepted: 50 MP. */
    public static final long MAX_PIXELS = 50_000_000L;
    /** Longer side of the whole-photo previews. */
    public static final int PREVIEW_SIDE = 1280;
    /** Side of the 100 % comparison crop. */
    public static final int ZOOM_SIDE = 512;
    /** Centre crop side the noise level is estimated on when the camera gives none. */
    public static final int ESTIMATION_CROP = 512;
    /** Centre crop side the Auto strength is calibrated on. */
    public static final int CALIBRATION_CROP = 256;
    /** Bytes one strip accumulator of the tiler may take (it also holds one strip of finished rows). */
    public static final long STRIP_BUDGET_BYTES = 32L << 20;
    /** Smallest tile side considered for the neural model (smaller tiles spend their time on halos). */
    public static final int MIN_NEURAL_TILE = 256;
    /** Tile side for the classic method. */
    public static final int CLASSIC_TILE = 256;
    /** Share of the progress bar the Auto calibration takes. */
    static final double CALIBRATION_SHARE = 0.15;

    private final PhotoPlatform platform;
    private final PhotoModelLoader models;
    private final Executor background;
    private final Executor main;
    private PhotoUiState state = PhotoUiState.empty();
    private Consumer<PhotoUiState> listener = s -> { };
    private volatile boolean cancelled;
    /** The current job; an older job still running stops at its next progress report. */
    private volatile int job;
    private PhotoSource source;
    private OpenedPhoto photo;
    private PhotoOutput output;

    public PhotoDenoiseController(PhotoPlatform platform, PhotoModelLoader models, Executor background,
            Executor main) {
        this(platform, models, null, background, main);
    }

    /**
     * @param captures the camera's temporary captures, or null: its captures older than this
     *     session are deleted now (on {@code background}); the ones this controller opens are
     *     deleted when replaced or closed ({@link PhotoSource#discard()})
     */
    public PhotoDenoiseController(PhotoPlatform platform, PhotoModelLoader models, CaptureStore captures,
            Executor background, Executor main) {
        this.platform = platform;
        this.models = models;
        this.background = background;
        this.main = main;
        if (captures != null) {
            background.execute(captures::deleteStale);
        }
    }

    public PhotoUiState state() {
        return state;
    }

    public void setListener(Consumer<PhotoUiState> listener) {
        this.listener = listener == null ? s -> { } : listener;
        this.listener.accept(state);
    }

    private void publish(PhotoUiState s) {
        state = s;
        listener.accept(s);
    }

    /** The full-resolution denoised output once ready (tests, saving), else null. */
    public PhotoOutput output() {
        return output;
    }

    /**
     * Opens a photo from the gallery or the camera; whatever was open before is closed (and
     * discarded: a previous camera capture is deleted).
     */
    public void open(PhotoSource src) {
        cancelled = false;
        int id = ++job;
        Method m = state.method();
        DelegateChoice d = state.delegate();
        boolean auto = state.autoStrength();
        double s = state.strength();
        release();
        publish(PhotoUiState.empty().withSettings(m, d, auto, s).withPhoto(src.displayName(), null, 0, null, null)
                .with(Phase.LOADING, 0, "Reading"));
        background.execute(() -> {
            OpenedPhoto opened = null;
            try {
                opened = platform.open(src, MAX_PIXELS, PREVIEW_SIDE);
                checkCancelled(id);
                NoiseProfile.Level level = NoiseProfile.fromCamera(src.cameraMetadata());
                if (level == null) {
                    level = estimate(opened.tiles());
                }
                OpenedPhoto ready = opened;
                NoiseProfile.Level finalLevel = level;
                String summary = summary(opened);
                main.execute(() -> {
                    if (id != job) {
                        ready.close();
                        src.discard();
                        return;
                    }
                    source = src;
                    photo = ready;
                    publish(state.withPhoto(src.displayName(), summary, ready.orientation(), ready.preview(),
                            finalLevel).with(Phase.READY, 0, null));
                });
            } catch (CancellationException c) {
                close(opened);
                main.execute(() -> {
                    src.discard();
                    if (id == job) {
                        publish(PhotoUiState.empty().withSettings(m, d, auto, s));
                    }
                });
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                close(opened);
                String msg = e instanceof OutOfMemoryError ? "not enough memory to open it" : message(e);
                main.execute(() -> {
                    src.discard();
                    if (id == job) {
                        publish(state.with(Phase.ERROR, 0, null)
                                .withMessages(null, "Cannot open " + src.displayName() + ": " + msg));
                    }
                });
            }
        });
    }

    /** The noise level estimated on a centre crop of the full-resolution photo. */
    static NoiseProfile.Level estimate(TileSource tiles) throws IOException {
        PlanarImage crop = centreCrop(tiles, ESTIMATION_CROP);
        if (crop.width() < PcaNoiseLevelEstimator.MIN_SIDE || crop.height() < PcaNoiseLevelEstimator.MIN_SIDE) {
            throw new IOException(String.format(Locale.ROOT,
                    "the photo is %d × %d pixels, too small to estimate its noise (at least %d on each side)",
                    tiles.width(), tiles.height(), PcaNoiseLevelEstimator.MIN_SIDE));
        }
        double sigma = new PcaNoiseLevelEstimator().estimateMeanSigma255(crop);
        return new NoiseProfile.Level(sigma, "estimated from the photo");
    }

    public void setMethod(Method m) {
        publish(state.withSettings(m, state.delegate(), state.autoStrength(), state.strength()));
    }

    public void setDelegate(DelegateChoice d) {
        publish(state.withSettings(state.method(), d, state.autoStrength(), state.strength()));
    }

    public void setAutoStrength(boolean auto) {
        publish(state.withSettings(state.method(), state.delegate(), auto, state.strength()));
    }

    /** A manual strength, 0 (the original) … {@link PhotoUiState#MAX_STRENGTH}; turns Auto off. */
    public void setStrength(double s) {
        double clamped = Math.max(0, Math.min(PhotoUiState.MAX_STRENGTH, s));
        publish(state.withSettings(state.method(), state.delegate(), false, clamped));
    }

    /** Denoises the open photo with the current settings; a previous result is discarded. */
    public void denoise() {
        if (photo == null || state.busy()) {
            return;
        }
        cancelled = false;
        int id = ++job;
        OpenedPhoto in = photo;
        PhotoUiState at = state;
        closeOutput();
        publish(state.withDenoised(null).with(Phase.DENOISING, 0, "Preparing").withMessages(null, null));
        background.execute(() -> {
            PhotoOutput out = null;
            ImageDenoiser denoiser = null;
            try {
                String note = null;
                boolean neural = false;
                if (at.method() == Method.NEURAL) {
                    try {
                        PhotoModelLoader.Opened o = models.open(at.delegate());
                        denoiser = new NeuralImageDenoiser(o.model());
                        neural = true;
                        note = "Neural model on " + o.runsOn() + ".";
                    } catch (Throwable t) {
                        if (t instanceof VirtualMachineError vm && !(t instanceof StackOverflowError)) {
                            throw vm;
                        }
                        note = "Neural model failed (" + at.delegate().label() + "): " + shorten(message(t))
                                + ". Used Classic (non-local means).";
                    }
                }
                if (denoiser == null) {
                    denoiser = new NonLocalMeansDenoiser();
                }
                double sigma = at.noise().sigma255();
                double strength = at.strength();
                Progress progress = fraction -> progress(id, fraction);
                if (at.autoStrength()) {
                    stage(id, "Calibrating strength");
                    PlanarImage crop = centreCrop(in.tiles(), CALIBRATION_CROP);
                    ImageDenoiser calibrated = neural ? new BlendedDenoiser(denoiser) : denoiser;
                    StrengthCalibrator.Result r = new Noise2SelfCalibrator().calibrate(calibrated, crop, sigma,
                            StrengthCalibrator.DEFAULT_STRENGTHS, scaled(progress, 0, CALIBRATION_SHARE));
                    strength = r.bestStrength();
                }
                stage(id, "Denoising");
                out = platform.newOutput(in.width(), in.height());
                tiler(denoiser, neural, sigma, in.width(), in.height()).process(in.tiles(), denoiser, sigma, strength, out,
                        at.autoStrength() ? scaled(progress, CALIBRATION_SHARE, 1) : progress);
                PlanarImage preview = out.preview(PREVIEW_SIDE);
                PhotoOutput done = out;
                String finalNote = note;
                double used = strength;
                main.execute(() -> {
                    if (id != job) {
                        done.close();
                        return;
                    }
                    output = done;
                    publish(state.withSettings(state.method(), state.delegate(), state.autoStrength(), used)
                            .withDenoised(preview).with(Phase.DENOISED, 1, null).withMessages(finalNote, null));
                });
            } catch (CancellationException c) {
                close(out);
                main.execute(() -> {
                    if (id == job) {
                        publish(state.with(Phase.READY, 0, null).withMessages("Cancelled; nothing was kept.", null));
                    }
                });
            } catch (Exception | OutOfMemoryError e) {
                close(out);
                String msg = e instanceof OutOfMemoryError ? "not enough memory" : message(e);
                main.execute(() -> {
                    if (id == job) {
                        publish(state.with(Phase.READY, 0, null).withMessages(null, "Denoising failed: " + msg));
                    }
                });
            } finally {
                if (denoiser instanceof AutoCloseable closeable) {
                    try {
                        closeable.close();
                    } catch (Exception ignored) {
                        // The run's result is already decided; a failing close only loses the model.
                    }
                }
            }
        });
    }

    /**
     * The tiler for a {@code width × height} photo: the method's tile side (for the neural model
     * the one that hands it the fewest pixels, {@link NeuralImageDenoiser#bestTile}), shrunk so one
     * strip of {@code tile · width · 3} floats fits {@link #STRIP_BUDGET_BYTES}.
     */
    static ImageTiler tiler(ImageDenoiser denoiser, boolean neural, double sigma255, int width, int height) {
        int preferred = neural ? ((NeuralImageDenoiser) denoiser).bestTile(width, height, 32, MIN_NEURAL_TILE)
                : CLASSIC_TILE;
        int byBudget = (int) Math.min(Integer.MAX_VALUE, STRIP_BUDGET_BYTES / (12L * width));
        int tile = Math.max(64, Math.min(preferred, byBudget));
        if (neural) {
            NeuralImageDenoiser n = (NeuralImageDenoiser) denoiser;
            return new ImageTiler(tile, Math.min(32, tile / 2), n.halo(), n.alignment());
        }
        int halo = NonLocalMeansDenoiser.parameters(sigma255, 1, 3).contextRadius();
        return new ImageTiler(tile, Math.min(32, tile / 2), halo);
    }

    /** Cancels opening, denoising or saving; the open photo stays. */
    public void cancel() {
        cancelled = true;
    }

    /**
     * Shows both versions at 100 % around the point {@code (u, v)} of the displayed photo (fractions
     * of its width and height).
     */
    public void zoomAt(double u, double v) {
        if (photo == null || output == null || state.busy()) {
            return;
        }
        double[] stored = Orientation.displayToStored(clamp01(u), clamp01(v), photo.orientation());
        int w = Math.min(ZOOM_SIDE, photo.width());
        int h = Math.min(ZOOM_SIDE, photo.height());
        int x = clampInt((int) Math.round(stored[0] * photo.width()) - w / 2, 0, photo.width() - w);
        int y = clampInt((int) Math.round(stored[1] * photo.height()) - h / 2, 0, photo.height() - h);
        OpenedPhoto in = photo;
        PhotoOutput out = output;
        int id = job;
        background.execute(() -> {
            try {
                PlanarImage a = in.tiles().read(x, y, w, h);
                PlanarImage b = out.read(x, y, w, h);
                main.execute(() -> {
                    if (id == job && output == out) {
                        publish(state.withZoom(new PhotoUiState.Zoom(a, b, x, y)));
                    }
                });
            } catch (RuntimeException e) {
                String msg = message(e);
                main.execute(() -> {
                    if (id == job && output == out) {
                        publish(state.withMessages(null, "Cannot zoom: " + msg));
                    }
                });
            }
        });
    }

    /** Back to the whole photo. */
    public void zoomOut() {
        publish(state.withZoom(null));
    }

    /** Saves the denoised photo as a new item in Pictures/Denoised; the original is untouched. */
    public void save() {
        if (output == null || state.busy()) {
            return;
        }
        cancelled = false;
        int id = ++job;
        PhotoOutput out = output;
        PhotoSource src = source;
        String name = copyName(state.fileName());
        publish(state.with(Phase.SAVING, 0, "Saving").withMessages(state.note(), null));
        background.execute(() -> {
            try {
                String[] saved = platform.save(src, out, name, fraction -> progress(id, fraction));
                main.execute(() -> {
                    if (id == job) {
                        publish(state.with(Phase.DENOISED, 1, null).withSaved(saved[0], saved[1]));
                    }
                });
            } catch (CancellationException c) {
                main.execute(() -> {
                    if (id == job) {
                        publish(state.with(Phase.DENOISED, 1, null).withMessages("Saving cancelled; nothing was written.", null));
                    }
                });
            } catch (IOException | RuntimeException | OutOfMemoryError e) {
                String msg = e instanceof OutOfMemoryError ? "not enough memory" : message(e);
                main.execute(() -> {
                    if (id == job) {
                        publish(state.with(Phase.DENOISED, 1, null).withMessages(null, "Could not save: " + msg));
                    }
                });
            }
        });
    }

    /** Offers the saved copy to other apps. */
    public void share() {
        if (state.savedUri() != null) {
            platform.share(state.savedUri(), "image/jpeg");
        }
    }

    /**
     * Closes the open photo and any output, and discards the photo's source (a camera capture is
     * deleted; the user's photos and saved copies are never touched).
     */
    public void release() {
        closeOutput();
        if (photo != null) {
            photo.close();
            photo = null;
        }
        if (source != null) {
            source.discard();
            source = null;
        }
    }

    /**
     * Leaving the photo screen for good: stops any job, releases the photo ({@link #release()})
     * and shows the empty screen with the settings kept.
     */
    public void close() {
        cancel();
        ++job;
        release();
        publish(PhotoUiState.empty().withSettings(state.method(), state.delegate(), state.autoStrength(),
                state.strength()));
    }

    private void closeOutput() {
        if (output != null) {
            output.close();
            output = null;
        }
    }

    private void stage(int id, String stage) {
        checkCancelled(id);
        main.execute(() -> {
            if (id == job && state.busy()) {
                publish(state.with(state.phase(), state.progress(), stage));
            }
        });
    }

    private void progress(int id, double f) {
        checkCancelled(id);
        main.execute(() -> {
            if (id == job && state.busy()) {
                publish(state.with(state.phase(), f, state.stage()));
            }
        });
    }

    /** Stops job {@code id} when the user cancelled or a newer job replaced it. */
    private void checkCancelled(int id) {
        if (cancelled || id != job) {
            throw new CancellationException();
        }
    }

    private static Progress scaled(Progress p, double from, double to) {
        return f -> p.update(from + (to - from) * Math.max(0, Math.min(1, f)));
    }

    /** A centre crop of at most {@code side} × {@code side}, read at full resolution. */
    static PlanarImage centreCrop(TileSource tiles, int side) {
        int w = Math.min(side, tiles.width());
        int h = Math.min(side, tiles.height());
        return tiles.read((tiles.width() - w) / 2, (tiles.height() - h) / 2, w, h);
    }

    /** "IMG_1234.HEIC" → "IMG_1234 (denoised).jpg". */
    static String copyName(String original) {
        String stem = original == null || original.isBlank() ? "photo" : original;
        int dot = stem.lastIndexOf('.');
        if (dot > 0) {
            stem = stem.substring(0, dot);
        }
        return stem + " (denoised).jpg";
    }

    static String summary(OpenedPhoto p) {
        return String.format(Locale.ROOT, "%d × %d, %.1f MP, %s", p.width(), p.height(),
                p.width() * (double) p.height() / 1e6, p.mimeType());
    }

    private static void close(AutoCloseable c) {
        if (c != null) {
            try {
                c.close();
            } catch (Exception ignored) {
                // Already failing or cancelled; the original error is what the user sees.
            }
        }
    }

    private static String message(Throwable e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    private static String shorten(String s) {
        return s.length() > 160 ? s.substring(0, 157) + "..." : s;
    }

    private static double clamp01(double v) {
        return Math.max(0, Math.min(1, v));
    }

    private static int clampInt(int v, int lo, int hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
