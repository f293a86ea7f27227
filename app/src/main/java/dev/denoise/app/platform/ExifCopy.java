package dev.denoise.app.platform;

import androidx.exifinterface.media.ExifInterface;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Copies a photo's EXIF into a newly encoded JPEG of the same pixels: every tag
 * {@link ExifInterface} knows, except those that describe the old file's encoding (sizes, strips,
 * thumbnail, compression), which would be wrong for the new file. Orientation is copied as is: the
 * pixels keep their stored orientation, so viewers turn them as they did the original.
 */
public final class ExifCopy {
    /** Tags that describe the source file's layout, not the photo. */
    private static final Set<String> LAYOUT = Set.of(
            ExifInterface.TAG_IMAGE_WIDTH, ExifInterface.TAG_IMAGE_LENGTH,
            ExifInterface.TAG_PIXEL_X_DIMENSION, ExifInterface.TAG_PIXEL_Y_DIMENSION,
            ExifInterface.TAG_COMPRESSION, ExifInterface.TAG_BITS_PER_SAMPLE,
            ExifInterface.TAG_SAMPLES_PER_PIXEL, ExifInterface.TAG_PHOTOMETRIC_INTERPRETATION,
            ExifInterface.TAG_PLANAR_CONFIGURATION, ExifInterface.TAG_Y_CB_CR_SUB_SAMPLING,
            ExifInterface.TAG_Y_CB_CR_POSITIONING, ExifInterface.TAG_STRIP_OFFSETS,
            ExifInterface.TAG_STRIP_BYTE_COUNTS, ExifInterface.TAG_ROWS_PER_STRIP,
            ExifInterface.TAG_JPEG_INTERCHANGE_FORMAT, ExifInterface.TAG_JPEG_INTERCHANGE_FORMAT_LENGTH,
            ExifInterface.TAG_THUMBNAIL_IMAGE_LENGTH, ExifInterface.TAG_THUMBNAIL_IMAGE_WIDTH,
            ExifInterface.TAG_THUMBNAIL_ORIENTATION, ExifInterface.TAG_NEW_SUBFILE_TYPE,
            ExifInterface.TAG_SUBFILE_TYPE, ExifInterface.TAG_DNG_VERSION, ExifInterface.TAG_DEFAULT_CROP_SIZE,
            ExifInterface.TAG_ORF_THUMBNAIL_IMAGE, ExifInterface.TAG_ORF_PREVIEW_IMAGE_START,
            ExifInterface.TAG_ORF_PREVIEW_IMAGE_LENGTH, ExifInterface.TAG_RW2_JPG_FROM_RAW,
            ExifInterface.TAG_RW2_SENSOR_TOP_BORDER, ExifInterface.TAG_RW2_SENSOR_LEFT_BORDER,
            ExifInterface.TAG_RW2_SENSOR_BOTTOM_BORDER, ExifInterface.TAG_RW2_SENSOR_RIGHT_BORDER,
            ExifInterface.TAG_RW2_ISO, ExifInterface.TAG_ORF_ASPECT_FRAME);

    private static final List<String> TAGS = photoTags();

    private ExifCopy() {
    }

    /** The EXIF orientation (1–8) of {@code photo}, or 1 when it has none or cannot be read. */
    public static int orientation(InputStream photo) {
        try {
            return new ExifInterface(photo).getAttributeInt(ExifInterface.TAG_ORIENTATION,
                    ExifInterface.ORIENTATION_NORMAL);
        } catch (IOException | RuntimeException e) {
            return ExifInterface.ORIENTATION_NORMAL;
        }
    }

    /**
     * Copies {@code original}'s tags into the JPEG {@code target} (rewritten in place), records the
     * target's size and {@code software}. An original without EXIF leaves only the size and software.
     */
    public static void copy(InputStream original, File target, int width, int height, String software)
            throws IOException {
        ExifInterface from;
        try {
            from = new ExifInterface(original);
        } catch (IOException | RuntimeException e) {
            from = null;
        }
        ExifInterface to = new ExifInterface(target.getAbsolutePath());
        if (from != null) {
            for (String tag : TAGS) {
                String value = from.getAttribute(tag);
                if (value != null) {
                    to.setAttribute(tag, value);
                }
            }
        }
        to.setAttribute(ExifInterface.TAG_IMAGE_WIDTH, Integer.toString(width));
        to.setAttribute(ExifInterface.TAG_IMAGE_LENGTH, Integer.toString(height));
        to.setAttribute(ExifInterface.TAG_PIXEL_X_DIMENSION, Integer.toString(width));
        to.setAttribute(ExifInterface.TAG_PIXEL_Y_DIMENSION, Integer.toString(height));
        to.setAttribute(ExifInterface.TAG_SOFTWARE, software);
        to.saveAttributes();
    }

    /** Every public {@code TAG_*} name of {@link ExifInterface} that is not a layout tag. */
    private static List<String> photoTags() {
        List<String> tags = new ArrayList<>();
        for (Field f : ExifInterface.class.getFields()) {
            if (f.getName().startsWith("TAG_") && f.getType() == String.class
                    && Modifier.isStatic(f.getModifiers())) {
                try {
                    String tag = (String) f.get(null);
                    if (!LAYOUT.contains(tag) && !tags.contains(tag)) {
                        tags.add(tag);
                    }
                } catch (IllegalAccessException e) {
                    throw new IllegalStateException("ExifInterface." + f.getName() + " is not readable", e);
                }
            }
        }
        return List.copyOf(tags);
    }
}
