package dev.denoise.app.platform;

import android.content.Context;
import android.graphics.ImageFormat;
import android.graphics.SurfaceTexture;
import android.hardware.camera2.CameraAccessException;
import android.hardware.camera2.CameraCaptureSession;
import android.hardware.camera2.CameraCharacteristics;
import android.hardware.camera2.CameraDevice;
import android.hardware.camera2.CameraManager;
import android.hardware.camera2.CaptureRequest;
import android.hardware.camera2.CaptureResult;
import android.hardware.camera2.TotalCaptureResult;
import android.hardware.camera2.params.StreamConfigurationMap;
import android.media.Image;
import android.media.ImageReader;
import android.os.Handler;
import android.os.HandlerThread;
import android.os.Looper;
import android.util.Pair;
import android.util.Size;
import android.view.OrientationEventListener;
import android.view.Surface;
import dev.denoise.app.photos.CameraNoiseMetadata;
import dev.denoise.app.photos.CameraSource;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

/**
 * {@link CameraSource} on camera2 directly: the back camera, a preview into the screen's
 * {@code SurfaceTexture}, and stills at the sensor's largest JPEG size through an
 * {@link ImageReader}. Each still is paired with its {@link TotalCaptureResult}, whose noise
 * profile, ISO, exposure and noise reduction mode become {@link CameraNoiseMetadata}.
 *
 * <p>Camera callbacks run on a private handler thread; the listener is called on the main thread.
 * The still's JPEG orientation follows how the phone is held when the photo is taken (an
 * {@link OrientationEventListener} while the camera is open; see {@link #jpegOrientation}); the
 * camera writes it to the JPEG's EXIF, which the photo screen respects.
 */
public final class Camera2Source implements CameraSource {
    /** Longest preview side requested: the preview only has to fill a phone screen. */
    static final int MAX_PREVIEW_SIDE = 1920;

    private final Context context;
    private final File outputDir;
    private final Handler main = new Handler(Looper.getMainLooper());
    private HandlerThread thread;
    private Handler camera;
    private CameraDevice device;
    private CameraCaptureSession session;
    private ImageReader reader;
    private Surface previewSurface;
    private Listener listener;
    private int sensorOrientation;
    private boolean frontFacing;
    /** The phone's latest known rotation from its natural orientation, or ORIENTATION_UNKNOWN. */
    private volatile int deviceOrientation = OrientationEventListener.ORIENTATION_UNKNOWN;
    private final OrientationEventListener orientationListener;
    private Image pendingImage;
    private TotalCaptureResult pendingResult;
    private boolean closed;

    /** Stills are written into {@code outputDir} (the app's cache). */
    public Camera2Source(Context context, File outputDir) {
        this.context = context.getApplicationContext();
        this.outputDir = outputDir;
        this.orientationListener = new OrientationEventListener(this.context) {
            @Override
            public void onOrientationChanged(int degrees) {
                // Flat on a table the phone reports UNKNOWN; the way it was last held is a
                // better guess for a photo taken looking down than "upright".
                if (degrees != ORIENTATION_UNKNOWN) {
                    deviceOrientation = degrees;
                }
            }
        };
    }

    /** The first back-facing camera, else the first camera; null when the phone has none. */
    public static String chooseCamera(CameraManager manager) throws CameraAccessException {
        String[] ids = manager.getCameraIdList();
        for (String id : ids) {
            Integer facing = manager.getCameraCharacteristics(id).get(CameraCharacteristics.LENS_FACING);
            if (facing != null && facing == CameraCharacteristics.LENS_FACING_BACK) {
                return id;
            }
        }
        return ids.length > 0 ? ids[0] : null;
    }

    /** The size with the most pixels (ties: the wider one); null for none. */
    public static Size largest(Size[] sizes) {
        if (sizes == null || sizes.length == 0) {
            return null;
        }
        return Arrays.stream(sizes).max((a, b) -> {
            int c = Long.compare((long) a.getWidth() * a.getHeight(), (long) b.getWidth() * b.getHeight());
            return c != 0 ? c : Integer.compare(a.getWidth(), b.getWidth());
        }).orElseThrow();
    }

    /**
     * The largest preview size no longer than {@link #MAX_PREVIEW_SIDE} with the still's aspect
     * ratio (within 2 %), else the largest within the limit.
     */
    public static Size previewSize(Size[] sizes, Size still) {
        Size best = null;
        Size bestAny = null;
        double aspect = still.getWidth() / (double) still.getHeight();
        for (Size s : sizes) {
            if (Math.max(s.getWidth(), s.getHeight()) > MAX_PREVIEW_SIDE) {
                continue;
            }
            long px = (long) s.getWidth() * s.getHeight();
            if (bestAny == null || px > (long) bestAny.getWidth() * bestAny.getHeight()) {
                bestAny = s;
            }
            if (Math.abs(s.getWidth() / (double) s.getHeight() - aspect) <= 0.02 * aspect
                    && (best == null || px > (long) best.getWidth() * best.getHeight())) {
                best = s;
            }
        }
        return best != null ? best : bestAny != null ? bestAny : sizes[0];
    }

    /**
     * The JPEG_ORIENTATION that makes a still upright for a phone turned {@code deviceDegrees}
     * clockwise from its natural orientation (as {@link OrientationEventListener} reports it), as
     * camera2's documentation for {@code CaptureRequest.JPEG_ORIENTATION} derives it: the device
     * rotation rounded to the nearest multiple of 90, negated for a front camera (it faces the
     * other way, so the phone's clockwise turn is anticlockwise as the camera sees it), added to
     * the sensor orientation, in [0, 360). An unknown device orientation counts as upright, the
     * commonest way to hold a phone (the documentation's sample returns 0 there instead: the
     * sensor's own orientation, sideways for a phone held upright).
     */
    static int jpegOrientation(int sensorOrientation, int deviceDegrees, boolean frontFacing) {
        int device = deviceDegrees == OrientationEventListener.ORIENTATION_UNKNOWN ? 0 : (deviceDegrees + 45) / 90 * 90;
        return Math.floorMod(sensorOrientation + (frontFacing ? -device : device), 360);
    }

    /** The noise metadata of a capture result (absent keys: no profile, ISO -1, boost 100). */
    public static CameraNoiseMetadata metadata(CaptureResult result) {
        Pair<Double, Double>[] profile = result.get(CaptureResult.SENSOR_NOISE_PROFILE);
        double[] s = new double[profile == null ? 0 : profile.length];
        double[] o = new double[s.length];
        for (int c = 0; c < s.length; c++) {
            s[c] = profile[c].first;
            o[c] = profile[c].second;
        }
        Integer iso = result.get(CaptureResult.SENSOR_SENSITIVITY);
        Long exposure = result.get(CaptureResult.SENSOR_EXPOSURE_TIME);
        Integer boost = result.get(CaptureResult.CONTROL_POST_RAW_SENSITIVITY_BOOST);
        Integer nr = result.get(CaptureResult.NOISE_REDUCTION_MODE);
        return new CameraNoiseMetadata(s, o, iso == null ? -1 : iso, exposure == null ? -1 : exposure,
                boost == null ? 100 : boost, nr == null ? -1 : nr);
    }

    @Override
    public void open(Object surfaceTexture, Listener l) {
        this.listener = l;
        closed = false;
        if (!(surfaceTexture instanceof SurfaceTexture texture)) {
            fail("no preview surface");
            return;
        }
        CameraManager manager = context.getSystemService(CameraManager.class);
        try {
            String id = manager == null ? null : chooseCamera(manager);
            if (id == null) {
                fail("this phone has no camera");
                return;
            }
            CameraCharacteristics chars = manager.getCameraCharacteristics(id);
            StreamConfigurationMap map = chars.get(CameraCharacteristics.SCALER_STREAM_CONFIGURATION_MAP);
            if (map == null) {
                fail("the camera lists no output sizes");
                return;
            }
            Size still = largest(map.getOutputSizes(ImageFormat.JPEG));
            if (still == null) {
                fail("the camera cannot take JPEG stills");
                return;
            }
            Size preview = previewSize(map.getOutputSizes(SurfaceTexture.class), still);
            Integer orientation = chars.get(CameraCharacteristics.SENSOR_ORIENTATION);
            sensorOrientation = orientation == null ? 0 : orientation;
            Integer facing = chars.get(CameraCharacteristics.LENS_FACING);
            frontFacing = facing != null && facing == CameraCharacteristics.LENS_FACING_FRONT;
            // A reading from an earlier session may be long stale; until the first one arrives the
            // phone counts as upright. (Without an accelerometer none ever does.)
            deviceOrientation = OrientationEventListener.ORIENTATION_UNKNOWN;
            orientationListener.enable();
            thread = new HandlerThread("camera2");
            thread.start();
            camera = new Handler(thread.getLooper());
            reader = ImageReader.newInstance(still.getWidth(), still.getHeight(), ImageFormat.JPEG, 2);
            reader.setOnImageAvailableListener(r -> {
                Image image = r.acquireNextImage();
                if (image != null) {
                    onImage(image);
                }
            }, camera);
            texture.setDefaultBufferSize(preview.getWidth(), preview.getHeight());
            previewSurface = new Surface(texture);
            manager.openCamera(id, new CameraDevice.StateCallback() {
                @Override
                public void onOpened(CameraDevice d) {
                    if (closed) {
                        d.close();
                        return;
                    }
                    device = d;
                    startSession(preview);
                }

                @Override
                public void onDisconnected(CameraDevice d) {
                    d.close();
                    giveUp("the camera was disconnected (another app may have taken it)");
                }

                @Override
                public void onError(CameraDevice d, int error) {
                    d.close();
                    giveUp("the camera reported error " + error);
                }
            }, camera);
        } catch (CameraAccessException | SecurityException | IllegalArgumentException | IllegalStateException e) {
            giveUp("cannot open the camera: " + e.getMessage());
        }
    }

    @SuppressWarnings("deprecation")
    private void startSession(Size preview) {
        try {
            device.createCaptureSession(List.of(previewSurface, reader.getSurface()),
                    new CameraCaptureSession.StateCallback() {
                        @Override
                        public void onConfigured(CameraCaptureSession s) {
                            session = s;
                            try {
                                CaptureRequest.Builder b = device.createCaptureRequest(CameraDevice.TEMPLATE_PREVIEW);
                                b.addTarget(previewSurface);
                                b.set(CaptureRequest.CONTROL_MODE, CaptureRequest.CONTROL_MODE_AUTO);
                                s.setRepeatingRequest(b.build(), null, camera);
                                main.post(() -> {
                                    if (listener != null) {
                                        listener.onPreviewStarted(preview.getWidth(), preview.getHeight());
                                    }
                                });
                            } catch (CameraAccessException | IllegalStateException e) {
                                giveUp("cannot start the preview: " + e.getMessage());
                            }
                        }

                        @Override
                        public void onConfigureFailed(CameraCaptureSession s) {
                            giveUp("the camera refused the preview and still sizes");
                        }
                    }, camera);
        } catch (CameraAccessException | IllegalStateException e) {
            giveUp("cannot configure the camera: " + e.getMessage());
        }
    }

    @Override
    public void capture() {
        if (session == null || device == null) {
            fail("the camera is not ready yet");
            return;
        }
        try {
            CaptureRequest.Builder b = device.createCaptureRequest(CameraDevice.TEMPLATE_STILL_CAPTURE);
            b.addTarget(reader.getSurface());
            b.set(CaptureRequest.JPEG_ORIENTATION, jpegOrientation(sensorOrientation, deviceOrientation, frontFacing));
            b.set(CaptureRequest.JPEG_QUALITY, (byte) 95);
            session.capture(b.build(), new CameraCaptureSession.CaptureCallback() {
                @Override
                public void onCaptureCompleted(CameraCaptureSession s, CaptureRequest r, TotalCaptureResult result) {
                    onResult(result);
                }
            }, camera);
        } catch (CameraAccessException | IllegalStateException e) {
            fail("cannot take the photo: " + e.getMessage());
        }
    }

    /** On the camera thread. */
    private synchronized void onImage(Image image) {
        if (pendingImage != null) {
            pendingImage.close();
        }
        pendingImage = image;
        deliverIfComplete();
    }

    /** On the camera thread. */
    private synchronized void onResult(TotalCaptureResult result) {
        pendingResult = result;
        deliverIfComplete();
    }

    private void deliverIfComplete() {
        if (pendingImage == null || pendingResult == null) {
            return;
        }
        Image image = pendingImage;
        CameraNoiseMetadata meta = metadata(pendingResult);
        pendingImage = null;
        pendingResult = null;
        try {
            File out = File.createTempFile("capture-", ".jpg", outputDir);
            ByteBuffer jpeg = image.getPlanes()[0].getBuffer();
            byte[] bytes = new byte[jpeg.remaining()];
            jpeg.get(bytes);
            try (FileOutputStream f = new FileOutputStream(out)) {
                f.write(bytes);
            }
            main.post(() -> {
                if (listener != null) {
                    listener.onCaptured(out, meta);
                }
            });
        } catch (IOException e) {
            fail("cannot store the photo: " + e.getMessage());
        } finally {
            image.close();
        }
    }

    /**
     * The camera will not run until opened again: stop watching the orientation, and say why. The
     * listener is stopped on the main thread, where it was started: OrientationEventListener does
     * not synchronise enable and disable.
     */
    private void giveUp(String message) {
        main.post(orientationListener::disable);
        fail(message);
    }

    private void fail(String message) {
        main.post(() -> {
            if (listener != null) {
                listener.onError(message);
            }
        });
    }

    @Override
    public void close() {
        closed = true;
        listener = null;
        orientationListener.disable();
        if (session != null) {
            session.close();
            session = null;
        }
        if (device != null) {
            device.close();
            device = null;
        }
        if (reader != null) {
            reader.close();
            reader = null;
        }
        if (previewSurface != null) {
            previewSurface.release();
            previewSurface = null;
        }
        if (thread != null) {
            thread.quitSafely();
            thread = null;
        }
    }
}
