package dev.denoise.core.image;

import dev.denoise.core.Progress;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * BM3D: block matching and 3-D collaborative filtering (Dabov, Foi, Katkovnik, Egiazarian,
 * IEEE TIP 2007), both stages, for additive white Gaussian noise of known σ.
 *
 * <ol>
 *   <li>Basic estimate: blocks similar to each reference block (8×8, every 3 samples, searched
 *       in a 39×39 window of the noisy image) are stacked into a group, transformed by 2-D
 *       bior1.5 and 1-D Haar along the stack, hard-thresholded at λ3D·σ, transformed back and
 *       aggregated with a Kaiser window and weights 1/(σ²·retained coefficients).</li>
 *   <li>Final estimate: groups are matched on the basic estimate, the noisy groups (2-D DCT +
 *       Haar) are Wiener-filtered with the basic estimate's group spectrum as the oracle, and
 *       aggregated with weights 1/(σ²·Σ gain²).</li>
 * </ol>
 *
 * <p>Parameters are the paper's normal profile ({@link Bm3dProfile}), with larger stage-1 blocks
 * above σ = 40, where stage 1 also compares blocks after thresholding their 2-D
 * coefficients at λ2D·σ. Three-channel images are treated as RGB, CBM3D-style: they are
 * rotated into an orthonormal opponent colour space (luma (R+G+B)/√3 and two chroma axes), so the
 * noise stays white with the same σ in every channel; groups are matched on luma and every channel
 * is filtered with the luma groups. Other channel counts are denoised channel by channel.
 *
 * <p>{@code strength} multiplies the σ used for thresholding and Wiener filtering; block matching
 * and the profile choice use the nominal σ.
 *
 * <p>Work is split into horizontal stripes of reference blocks, processed in parallel; stripe
 * results are merged in stripe order, so the output does not depend on the thread count.
 * {@link #denoise} may be called from several threads at once; progress is reported, and
 * cancellation honoured, on the calling thread.
 */
public final class Bm3dDenoiser implements ImageDenoiser {
  /** Reference-block rows per stripe are chosen so a stripe holds about this many blocks. */
  private static final int TARGET_REFS_PER_STRIPE = 2048;
  private static final int MIN_STRIPE_REF_ROWS = 4;
  private static final int MAX_STRIPE_REF_ROWS = 16;
  /** Image side below which the image is mirror-padded: the largest block plus room to match. */
  private static final int MIN_SIDE = 16;


  private final int threads;

  /** Uses all available processors. */
  public Bm3dDenoiser() {
    this(Runtime.getRuntime().availableProcessors());
  }

  /** Uses up to {@code threads} worker threads (1 runs everything on the calling thread). */
  public Bm3dDenoiser(int threads) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be at least 1, got " + threads);
    }
    this.threads = threads;
  }

  @Override
  public String name() {
    return "bm3d";
  }

  @Override
  public PlanarImage denoise(PlanarImage noisy, double sigma255, double strength,
      Progress progress) {
    ImageDenoiser.checkArguments(sigma255, strength);
    if (sigma255 == 0 || strength == 0) {
      progress.update(1);
      return noisy.copy();
    }
    int w = noisy.width();
    int h = noisy.height();
    int pw = Math.max(w, MIN_SIDE);
    int ph = Math.max(h, MIN_SIDE);
    int channels = noisy.channels();
    float[][] planes = new float[channels][];
    for (int c = 0; c < channels; c++) {
      planes[c] = mirrorPad(noisy.plane(c), w, h, pw, ph);
    }
    float[][] result;
    if (channels == 3) {
      float[][] opp = ColorConversions.rotate(planes, ColorConversions.OPPONENT);
      float[] sigmas = new float[3];
      for (int c = 0; c < 3; c++) {
        double norm = 0;
        for (double a : ColorConversions.OPPONENT[c]) {
          norm += a * a;
        }
        sigmas[c] = (float) (sigma255 / 255 * Math.sqrt(norm));
      }
      float[][] den = denoisePlanes(opp, pw, ph, sigma255, sigmas, strength,
          (float) (1 / Math.sqrt(3)), progress, 0, 1);
      result = ColorConversions.rotate(den, ColorConversions.transpose(ColorConversions.OPPONENT));
    } else {
      result = new float[channels][];
      float sigma01 = (float) (sigma255 / 255);
      for (int c = 0; c < channels; c++) {
        result[c] = denoisePlanes(new float[][] {planes[c]}, pw, ph, sigma255,
            new float[] {sigma01}, strength, 1f, progress, c, channels)[0];
      }
    }
    float[][] out = new float[channels][];
    for (int c = 0; c < channels; c++) {
      out[c] = crop(result[c], pw, w, h);
    }
    progress.update(1);
    return new PlanarImage(w, h, out);
  }

  /**
   * Both stages on planes that share their block matching (plane 0, scaled by
   * {@code matchScale}, is the one matched on).
   */
  private float[][] denoisePlanes(float[][] planes, int w, int h, double sigma255,
      float[] sigmas01, double strength, float matchScale, Progress progress, int part,
      int parts) {
    float[] filterSigmas = new float[sigmas01.length];
    for (int c = 0; c < sigmas01.length; c++) {
      filterSigmas[c] = (float) (sigmas01[c] * strength);
    }
    Bm3dProfile hard = Bm3dProfile.hardThreshold(sigma255);
    Bm3dProfile wiener = Bm3dProfile.wiener(sigma255);
    float matchSigma = sigmas01[0] * matchScale;
    float[][] basic = runStage(hard, planes, null, scaled(planes[0], matchScale), matchSigma, w,
        h, filterSigmas, progress, 2 * part, 2 * parts);
    return runStage(wiener, planes, basic, scaled(basic[0], matchScale), matchSigma, w, h,
        filterSigmas, progress, 2 * part + 1, 2 * parts);
  }

  /**
   * One stage over the whole image. Stage 1 when {@code basic} is null, stage 2 otherwise.
   * Progress runs from {@code pass / passes} to {@code (pass + 1) / passes}.
   */
  private float[][] runStage(Bm3dProfile profile, float[][] noisy, float[][] basic,
      float[] matchPlane, float matchSigma01, int w, int h, float[] sigmas01, Progress progress,
      int pass, int passes) {
    int channels = noisy.length;
    int[] refXs = referencePositions(w, profile.blockSize, profile.step);
    int[] refYs = referencePositions(h, profile.blockSize, profile.step);
    int stripeRows = Math.max(MIN_STRIPE_REF_ROWS,
        Math.min(MAX_STRIPE_REF_ROWS, TARGET_REFS_PER_STRIPE / refXs.length));
    int stripes = (refYs.length + stripeRows - 1) / stripeRows;
    BlockTransform2d transform = profile.newTransform();
    float[] kaiser = KaiserWindow.square(profile.blockSize, profile.kaiserBeta);
    float maxSsd = profile.maxBlockSsd01();

    float[][] numerator = new float[channels][w * h];
    float[][] denominator = new float[channels][w * h];
    AtomicBoolean cancelled = new AtomicBoolean();
    StripeTask task = stripe -> filterStripe(profile, noisy, basic, matchPlane, matchSigma01, w,
        h, sigmas01,
        refXs, refYs, stripe * stripeRows, Math.min(refYs.length, (stripe + 1) * stripeRows),
        transform.copy(), kaiser, maxSsd, cancelled::get);

    int workers = Math.min(threads, stripes);
    if (workers <= 1) {
      for (int s = 0; s < stripes; s++) {
        merge(task.run(s), numerator, denominator, w);
        progress.update((pass + (s + 1.0) / stripes) / passes);
      }
    } else {
      runParallel(task, stripes, workers, numerator, denominator, w, progress, pass, passes,
          cancelled);
    }

    float[][] out = new float[channels][w * h];
    for (int c = 0; c < channels; c++) {
      float[] num = numerator[c];
      float[] den = denominator[c];
      float[] src = noisy[c];
      float[] dst = out[c];
      for (int i = 0; i < dst.length; i++) {
        dst[i] = den[i] > 0 ? num[i] / den[i] : src[i];
      }
    }
    return out;
  }

  private void runParallel(StripeTask task, int stripes, int workers, float[][] numerator,
      float[][] denominator, int w, Progress progress, int pass, int passes,
      AtomicBoolean cancelled) {
    ExecutorService pool = Executors.newFixedThreadPool(workers, r -> {
      Thread t = new Thread(r, "bm3d-worker");
      t.setDaemon(true);
      return t;
    });
    try {
      ExecutorCompletionService<Integer> done = new ExecutorCompletionService<>(pool);
      CollaborativeFilter[] results = new CollaborativeFilter[stripes];
      for (int s = 0; s < stripes; s++) {
        int stripe = s;
        done.submit(() -> {
          results[stripe] = task.run(stripe);
          return stripe;
        });
      }
      boolean[] ready = new boolean[stripes];
      int merged = 0;
      for (int finished = 0; finished < stripes; finished++) {
        Future<Integer> f = done.take();
        // get() orders the worker's writes to results[stripe] before the reads below.
        ready[f.get()] = true;
        // Merge in stripe order so the sums, and the output, do not depend on scheduling.
        while (merged < stripes && ready[merged]) {
          merge(results[merged], numerator, denominator, w);
          results[merged] = null;
          merged++;
        }
        progress.update((pass + (finished + 1.0) / stripes) / passes);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      cancelled.set(true);
      throw new CancellationException("interrupted while denoising");
    } catch (ExecutionException e) {
      cancelled.set(true);
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException) {
        throw (RuntimeException) cause;
      }
      if (cause instanceof Error) {
        throw (Error) cause;
      }
      throw new IllegalStateException(cause);
    } catch (RuntimeException e) {
      cancelled.set(true);
      throw e;
    } finally {
      pool.shutdownNow();
    }
  }

  /** Matches and filters one stripe of reference rows {@code [r0, r1)}. */
  private static CollaborativeFilter filterStripe(Bm3dProfile profile, float[][] noisy,
      float[][] basic, float[] matchPlane, float matchSigma01, int w, int h, float[] sigmas01,
      int[] refXs, int[] refYs, int r0, int r1, BlockTransform2d transform, float[] kaiser, float maxSsd,
      BooleanSupplier cancelled) {
    BlockMatcher matcher = new BlockMatcher(w, h, profile, refXs, refYs, r0, r1, maxSsd);
    if (basic == null && profile.lambda2d > 0) {
      matcher.matchPrefiltered(matchPlane, transform,
          (float) (profile.lambda2d * matchSigma01), cancelled);
    } else {
      matcher.match(matchPlane, cancelled);
    }
    int half = profile.searchWindow / 2;
    int k = profile.blockSize;
    int bandTop = Math.max(0, refYs[r0] - half);
    int bandBottom = Math.min(h, refYs[r1 - 1] + half + k);
    int channels = noisy.length;
    CollaborativeFilter filter = new CollaborativeFilter(profile, transform, kaiser, w, bandTop,
        bandBottom - bandTop, channels);
    int[] groups = matcher.groups();
    int stride = matcher.groupStride();
    int cols = refXs.length;
    for (int ref = 0; ref < matcher.refCount(); ref++) {
      if (ref % cols == 0 && cancelled.getAsBoolean()) {
        throw new CancellationException("BM3D cancelled");
      }
      int n = matcher.groupSize(ref);
      for (int c = 0; c < channels; c++) {
        float noiseVar = sigmas01[c] * sigmas01[c];
        if (basic == null) {
          filter.hardThreshold(c, noisy[c], groups, ref * stride, n,
              (float) (profile.lambda3d * sigmas01[c]), noiseVar);
        } else {
          filter.wiener(c, noisy[c], basic[c], groups, ref * stride, n, noiseVar);
        }
      }
    }
    return filter;
  }

  private static void merge(CollaborativeFilter stripe, float[][] numerator,
      float[][] denominator, int w) {
    int offset = stripe.bandTop() * w;
    int length = stripe.bandRows() * w;
    for (int c = 0; c < numerator.length; c++) {
      float[] num = stripe.numerator(c);
      float[] den = stripe.denominator(c);
      float[] gNum = numerator[c];
      float[] gDen = denominator[c];
      for (int i = 0; i < length; i++) {
        gNum[offset + i] += num[i];
        gDen[offset + i] += den[i];
      }
    }
  }

  /** Block corners 0, step, 2·step, … and always the last one, {@code size − block}. */
  static int[] referencePositions(int size, int block, int step) {
    int last = size - block;
    int count = last / step + 1;
    boolean extra = last % step != 0;
    int[] out = new int[count + (extra ? 1 : 0)];
    for (int i = 0; i < count; i++) {
      out[i] = i * step;
    }
    if (extra) {
      out[count] = last;
    }
    return out;
  }

  private static float[] scaled(float[] plane, float scale) {
    if (scale == 1f) {
      return plane;
    }
    float[] out = new float[plane.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = plane[i] * scale;
    }
    return out;
  }

  /** Extends a plane to {@code pw × ph} by mirroring (whole-sample symmetric, periodic). */
  private static float[] mirrorPad(float[] plane, int w, int h, int pw, int ph) {
    float[] out = new float[pw * ph];
    for (int y = 0; y < ph; y++) {
      int sy = reflect(y, h);
      for (int x = 0; x < pw; x++) {
        out[y * pw + x] = plane[sy * w + reflect(x, w)];
      }
    }
    return out;
  }

  private static int reflect(int i, int n) {
    int m = i % (2 * n);
    return m < n ? m : 2 * n - 1 - m;
  }

  private static float[] crop(float[] plane, int pw, int w, int h) {
    float[] out = new float[w * h];
    for (int y = 0; y < h; y++) {
      System.arraycopy(plane, y * pw, out, y * w, w);
    }
    return out;
  }

  /** Filters stripe {@code s} and returns its accumulators. */
  private interface StripeTask {
    CollaborativeFilter run(int stripe);
  }
}
