package dev.denoise.cli;

import dev.denoise.core.audio.InterleavedProcessor;
import dev.denoise.core.audio.ResampledStage;
import dev.denoise.core.audio.Resampler;
import dev.denoise.core.audio.Stft;
import dev.denoise.core.audio.StreamingStage;
import dev.denoise.core.audio.classic.ClassicDenoiser;
import dev.denoise.core.audio.classic.ClassicMethod;
import dev.denoise.core.audio.classic.NoiseProfile;
import dev.denoise.core.audio.classic.Strength;
import dev.denoise.core.audio.rnn.FeatureExtractor;
import dev.denoise.core.audio.rnn.NeuralVoiceStage;
import dev.denoise.core.audio.rnn.SilencePrimedStage;
import dev.denoise.core.audio.wav.WavFormat;
import dev.denoise.core.audio.wav.WavFormatException;
import dev.denoise.core.audio.wav.WavReader;
import dev.denoise.core.audio.wav.WavWriter;
import dev.denoise.core.io.AtomicOutputFile;
import dev.denoise.tflite.InvalidModelException;
import dev.denoise.tflite.ModelFile;
import dev.denoise.tflite.TfliteGainModel;
import dev.denoise.tflite.VoiceModels;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.IntFunction;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code denoise audio IN.wav OUT.wav}: streams a WAV file through a voice denoiser, one
 * denoiser per channel, in constant memory, and writes a WAV of the same rate, channels and
 * sample format. The output appears only when complete; the input is never touched.
 */
@Command(name = "audio", mixinStandardHelpOptions = true,
    description = "Denoise a WAV file (any length, any channel count, 8-384 kHz).")
final class AudioCommand implements Callable<Integer> {
  /** Frames per I/O block. */
  static final int BLOCK_FRAMES = 8192;
  /** Longest {@code --warm-up}: its samples are held in memory (5 s of 8 channels at 384 kHz
   * are 61 MB of floats). */
  static final double MAX_WARM_UP_SECONDS = 5;
  /** Most samples (all channels) the warm-up may hold: 64 MB of floats. */
  static final long MAX_LEAD_SAMPLES = 1L << 24;

  @Spec
  CommandSpec spec;

  @Parameters(index = "0", paramLabel = "IN.wav", description = "Noisy input WAV.")
  Path input;

  @Parameters(index = "1", paramLabel = "OUT.wav", description = "Where to write the result.")
  Path output;

  @Option(names = "--method", defaultValue = "mmse-lsa",
      description = "mmse-lsa (default), wiener, specsub, or neural (the shipped voice model "
          + "unless --model; 8-48 kHz input).")
  String method;

  @Option(names = "--strength", defaultValue = "30", paramLabel = "DB",
      description = "Maximum attenuation in dB (default ${DEFAULT-VALUE}; 0 = no change).")
  double maxAttenuationDb;

  @Option(names = "--mix", defaultValue = "1", paramLabel = "W",
      description = "Wet/dry mix in [0, 1] (default ${DEFAULT-VALUE} = fully denoised).")
  double mix;

  @Option(names = "--tracker", defaultValue = "spp",
      description = "Noise tracker: spp (default) or mcra.")
  String tracker;

  @Option(names = "--noise-profile", paramLabel = "START:END",
      description = "Seconds of the input that hold noise only, e.g. 0:1.5; seeds the tracker.")
  String noiseProfile;

  @Option(names = "--model", paramLabel = "NAME|MODEL.tflite",
      description = "Voice model for --method neural: a bundled model's name (rnnoise, "
          + "rnnoise-int8 or int8, unet, unet-int8, crn, crn-int8, crn-complex, crn-complex-int8; "
          + "see 'denoise models'), or a "
          + "file with MODEL.manifest.json (or manifest.json) beside it, a band-gain or a "
          + "spectral-mask model; default: the shipped float32 model (" + VoiceModels.DEFAULT_NAME
          + ").")
  String model;

  @Option(names = "--warm-up", paramLabel = "S",
      description = "Seconds at the start of the file run backwards through the denoiser "
          + "before it starts, so its state starts warm instead of cutting the first syllables "
          + "(default: 1 for neural, 0 for the classic methods, whose trackers gain nothing "
          + "from it; at most 5). 0 = no look-ahead, as live: neural starts after "
          + NeuralVoiceStage.LIVE_PRIME_SECONDS + " s of silence instead.")
  Double warmUpSeconds;

  @Option(names = "--force", description = "Replace OUT.wav if it exists.")
  boolean force;

  @Option(names = "--quiet", description = "No progress bar.")
  boolean quiet;

  @Override
  public Integer call() throws IOException {
    PrintWriter err = spec.commandLine().getErr();
    boolean neural = "neural".equals(method);
    if (neural && noiseProfile != null) {
      throw new ParameterException(spec.commandLine(),
          "--noise-profile applies to the classic methods, not to neural");
    }
    ClassicMethod classic;
    ClassicDenoiser.NoiseTracking tracking;
    Strength strength;
    double warmUp = warmUpSeconds != null ? warmUpSeconds
        : neural ? NeuralVoiceStage.FILE_WARM_UP_SECONDS : 0;
    if (!(warmUp >= 0 && warmUp <= MAX_WARM_UP_SECONDS)) {
      throw new ParameterException(spec.commandLine(), "--warm-up must be between 0 and "
          + MAX_WARM_UP_SECONDS + " seconds, got " + warmUp);
    }
    try {
      classic = neural ? null : ClassicMethod.fromName(method);
      tracking = parseTracker(tracker);
      strength = new Strength(maxAttenuationDb, mix);
    } catch (IllegalArgumentException e) {
      throw new ParameterException(spec.commandLine(), e.getMessage()
          + " (methods: mmse-lsa, wiener, specsub, neural; trackers: spp, mcra)");
    }
    List<NeuralVoiceStage> opened = new ArrayList<>();
    try (WavReader reader = open(input)) {
      WavFormat format = reader.format();
      IntFunction<StreamingStage> stages;
      if (neural) {
        stages = neuralStages(modelFile(), format.sampleRate(), strength, opened, warmUp == 0);
      } else {
        NoiseProfile[] profiles = noiseProfile == null
            ? new NoiseProfile[format.channels()] : measureProfiles(format);
        stages = c -> ClassicDenoiser.newStage(classic, tracking, format.sampleRate(), strength,
            profiles[c]);
      }
      int leadFrames;
      try {
        leadFrames = leadFrames(format, warmUp);
      } catch (IllegalArgumentException e) {
        throw new ParameterException(spec.commandLine(), e.getMessage());
      }
      InterleavedProcessor processor = new InterleavedProcessor(format.channels(), stages,
          BLOCK_FRAMES);
      ProgressBar bar = new ProgressBar(err, !quiet && format.frameCount() > 0);
      bar.stage("denoising");
      try (AtomicOutputFile target = AtomicOutputFile.create(output, force, input);
           WavWriter writer = WavWriter.create(target, format.withFrameCount(
               WavFormat.UNKNOWN_FRAME_COUNT))) {
        float[] block = new float[BLOCK_FRAMES * format.channels()];
        float[] result = new float[Math.max(BLOCK_FRAMES, processor.latencyFrames())
            * format.channels()];
        long total = format.frameCount();
        int channels = format.channels();
        float[] lead = new float[leadFrames * channels];
        int leadRead = reader.read(lead, 0, leadFrames);
        processor.warmUp(lead, leadRead);
        for (int pos = 0; pos < leadRead; pos += BLOCK_FRAMES) {
          int frames = Math.min(BLOCK_FRAMES, leadRead - pos);
          System.arraycopy(lead, pos * channels, block, 0, frames * channels);
          writer.write(result, 0, processor.process(block, frames, result));
        }
        int frames;
        while ((frames = reader.read(block, 0, BLOCK_FRAMES)) > 0) {
          writer.write(result, 0, processor.process(block, frames, result));
          if (total > 0) {
            bar.update((double) reader.framesRead() / total);
          }
        }
        writer.write(result, 0, processor.finish(result));
        writer.commit();
      } finally {
        bar.finish();
      }
      if (reader.truncated()) {
        err.println("denoise: warning: input was truncated; denoised the "
            + reader.framesRead() + " frames present");
      }
    } finally {
      opened.forEach(NeuralVoiceStage::close);
    }
    return 0;
  }

  /**
   * Frames of the file's opening held for the warm-up: {@code warmUpSeconds} of it, no more
   * than the file holds when its length is known.
   *
   * @throws IllegalArgumentException when they would take more than {@link #MAX_LEAD_SAMPLES}
   *     floats (many channels at a high rate), naming the numbers
   */
  static int leadFrames(WavFormat format, double warmUpSeconds) {
    long frames = Math.round(warmUpSeconds * format.sampleRate());
    if (format.frameCount() >= 0) {
      frames = Math.min(frames, format.frameCount());
    }
    long samples = frames * format.channels();
    if (samples > MAX_LEAD_SAMPLES) {
      throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
          "--warm-up %.3g s of %d channels at %d Hz would hold %d MB of audio in memory (at "
              + "most %d MB); give a shorter --warm-up, or 0", warmUpSeconds, format.channels(),
          format.sampleRate(), samples * Float.BYTES >> 20, MAX_LEAD_SAMPLES * Float.BYTES >> 20));
    }
    return (int) frames;
  }

  /**
   * One neural voice denoiser per channel ({@link VoiceModels#newDenoiser}: band-gain or
   * spectral-mask, by the manifest's kind), each with its own interpreter over the one mapped
   * model (a model instance holds one stream's state); each is added to {@code opened}, for the
   * caller to close. Input at another supported rate is resampled to the models' 48 kHz and
   * back around it ({@link ResampledStage}).
   */
  private static IntFunction<StreamingStage> neuralStages(ModelFile file, int sampleRate,
      Strength strength, List<NeuralVoiceStage> opened, boolean primeWithSilence) {
    int modelRate = FeatureExtractor.SAMPLE_RATE;  // = SpectralMaskDenoiser.SAMPLE_RATE
    if (sampleRate != modelRate && !Resampler.SUPPORTED_RATES_HZ.contains(sampleRate)) {
      throw new IllegalArgumentException("--method neural runs at " + modelRate
          + " Hz and cannot resample " + sampleRate + " Hz input (supported: "
          + Resampler.SUPPORTED_RATES_HZ + "); use a classic method");
    }
    return c -> {
      try {
        NeuralVoiceStage d =
            VoiceModels.newDenoiser(file, TfliteGainModel.Options.DEFAULT, strength);
        opened.add(d);
        StreamingStage stage = ResampledStage.around(d, modelRate, sampleRate);
        return primeWithSilence
            ? new SilencePrimedStage(stage, sampleRate, NeuralVoiceStage.LIVE_PRIME_SECONDS) : stage;
      } catch (InvalidModelException e) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
    };
  }

  /**
   * {@code --model}: a bundled model's name (unless a file of that name exists), else a path;
   * without it the shipped float32 model.
   */
  private ModelFile modelFile() throws IOException {
    return resolveModel(model);
  }

  /** A bundled voice model by name, a model file, or (null) the shipped float32 model. */
  static ModelFile resolveModel(String model) throws IOException {
    if (model == null) {
      return VoiceModels.load(VoiceModels.Precision.FLOAT32);
    }
    Path path = Path.of(model);
    if (VoiceModels.isName(model) && !Files.exists(path)) {
      return VoiceModels.load(model);
    }
    if (!Files.isRegularFile(path)) {
      throw new NoSuchFileException(model, null, "--model: no such model file, and not a "
          + "bundled model name (" + String.join(", ", VoiceModels.NAMES) + ")");
    }
    return ModelFile.open(path);
  }

  /** Opens a WAV, naming the file in a format error. */
  private static WavReader open(Path path) throws IOException {
    try {
      return WavReader.open(path);
    } catch (WavFormatException e) {
      throw new WavFormatException(path + ": " + e.getMessage());
    }
  }

  private NoiseProfile[] measureProfiles(WavFormat format) throws IOException {
    String[] parts = noiseProfile.split(":");
    double start;
    double end;
    try {
      start = Double.parseDouble(parts[0]);
      end = Double.parseDouble(parts[1]);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "--noise-profile must be START:END in seconds, got '" + noiseProfile + "'");
    }
    Stft stft = ClassicDenoiser.standardStft(format.sampleRate());
    long first = Math.round(start * format.sampleRate());
    long last = Math.round(end * format.sampleRate());
    if (parts.length != 2 || first < 0 || last - first < stft.windowLength()
        || last - first > 60L * format.sampleRate()) {
      throw new IllegalArgumentException(String.format(
          "--noise-profile %s must span %.3f to 60 seconds starting at 0 or later",
          noiseProfile, (double) stft.windowLength() / format.sampleRate()));
    }
    int length = (int) (last - first);
    float[][] segment = new float[format.channels()][length];
    try (WavReader reader = WavReader.open(input)) {
      long skipped = 0;
      float[][] skip = new float[format.channels()][BLOCK_FRAMES];
      while (skipped < first) {
        int n = reader.readDeinterleaved(skip, 0, (int) Math.min(BLOCK_FRAMES, first - skipped));
        if (n <= 0) {
          throw new IllegalArgumentException("--noise-profile starts at " + start
              + " s, after the end of the input");
        }
        skipped += n;
      }
      int got = 0;
      while (got < length) {
        int n = reader.readDeinterleaved(segment, got, length - got);
        if (n <= 0) {
          throw new IllegalArgumentException("--noise-profile ends at " + end
              + " s, after the end of the input");
        }
        got += n;
      }
    }
    NoiseProfile[] profiles = new NoiseProfile[format.channels()];
    for (int c = 0; c < profiles.length; c++) {
      profiles[c] = NoiseProfile.measure(stft, segment[c], 0, length);
    }
    return profiles;
  }

  private static ClassicDenoiser.NoiseTracking parseTracker(String name) {
    switch (name) {
      case "spp":
        return ClassicDenoiser.NoiseTracking.SPP;
      case "mcra":
        return ClassicDenoiser.NoiseTracking.MCRA;
      default:
        throw new IllegalArgumentException("unknown --tracker '" + name + "': use spp or mcra");
    }
  }
}
