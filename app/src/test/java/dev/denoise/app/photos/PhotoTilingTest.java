package dev.denoise.app.photos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.denoise.core.Progress;
import dev.denoise.core.image.ImageModel;
import dev.denoise.core.image.ImageTiler;
import dev.denoise.core.image.NeuralImageDenoiser;
import dev.denoise.core.image.NonLocalMeansDenoiser;
import dev.denoise.core.image.PlanarImage;
import dev.denoise.core.image.RowSink;
import dev.denoise.core.image.TileSource;
import org.junit.jupiter.api.Test;

/** The tile side the controller picks keeps the tiler's strip within its budget at any width. */
class PhotoTilingTest {

    /** A model that returns its input (only its geometry matters here). */
    static final class IdentityModel implements ImageModel {
        @Override
        public int sizeMultiple() {
            return 2;
        }

        @Override
        public int receptiveRadius() {
            return 29;
        }

        @Override
        public int maxSide() {
            return 1024;
        }

        @Override
        public double maxSigma255() {
            return 75;
        }

        @Override
        public void denoise(float[][] rgb, int width, int height, double sigma255, float[][] out) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(rgb[c], 0, out[c], 0, width * height);
            }
        }

        @Override
        public String name() {
            return "identity";
        }

        @Override
        public void close() {
        }
    }

    @Test
    void stripFitsTheBudgetFromPhoneToFiftyMegapixelWidths() {
        NeuralImageDenoiser neural = new NeuralImageDenoiser(new IdentityModel());
        for (int width : new int[] {640, 2000, 4032, 8192, 8660, 12000, 30000}) {
            ImageTiler n = PhotoDenoiseController.tiler(neural, true, 20, width, width * 2 / 3);
            ImageTiler c = PhotoDenoiseController.tiler(new NonLocalMeansDenoiser(), false, 20, width, width * 2 / 3);
            for (ImageTiler t : new ImageTiler[] {n, c}) {
                long strip = 12L * t.tileSize() * width;
                assertTrue(strip <= PhotoDenoiseController.STRIP_BUDGET_BYTES || t.tileSize() == 64,
                        "width " + width + ": tile " + t.tileSize() + " makes a " + strip + "-byte strip");
            }
            assertTrue(n.tileSize() <= neural.model().maxSide());
            assertTrue(c.tileSize() <= PhotoDenoiseController.CLASSIC_TILE);
            assertEquals(neural.halo(), n.halo(), "the model's halo, so tiling matches the whole image");
        }
        assertEquals(neural.bestTile(3000, 2000, 32, PhotoDenoiseController.MIN_NEURAL_TILE),
                PhotoDenoiseController.tiler(neural, true, 20, 3000, 2000).tileSize(),
                "below the strip budget the tile is the one that costs the model least");
    }

    @Test
    void neuralTilingOfAFiftyMegapixelPhotoVisitsEveryRowOnceInOrder() {
        int w = 8660;
        int h = 5773; // 50.0 MP
        TileSource gradient = new TileSource() {
            @Override
            public int width() {
                return w;
            }

            @Override
            public int height() {
                return h;
            }

            @Override
            public int channels() {
                return 3;
            }

            @Override
            public PlanarImage read(int x, int y, int rw, int rh) {
                PlanarImage p = new PlanarImage(rw, rh, 3);
                for (int c = 0; c < 3; c++) {
                    float[] d = p.plane(c);
                    for (int j = 0; j < rh; j++) {
                        float v = (y + j) / (float) h;
                        for (int i = 0; i < rw; i++) {
                            d[j * rw + i] = v;
                        }
                    }
                }
                return p;
            }
        };
        int[] next = {0};
        double[] worst = {0};
        RowSink check = (y0, rows) -> {
            assertEquals(next[0], y0, "rows arrive in order, each once");
            for (int j = 0; j < rows.height(); j++) {
                float want = (y0 + j) / (float) h;
                worst[0] = Math.max(worst[0], Math.abs(rows.get(1, w / 2, j) - want));
            }
            next[0] = y0 + rows.height();
        };
        NeuralImageDenoiser neural = new NeuralImageDenoiser(new IdentityModel());
        PhotoDenoiseController.tiler(neural, true, 20, w, h).process(gradient, neural, 20, 1.0, check, Progress.NONE);
        assertEquals(h, next[0]);
        assertTrue(worst[0] < 1e-5, "identity model through the tiler changed a row by " + worst[0]);
    }
}
