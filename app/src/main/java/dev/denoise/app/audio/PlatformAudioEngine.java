package dev.denoise.app.audio;

import android.media.AudioAttributes;
import android.media.AudioFormat;
import android.media.AudioRecord;
import android.media.AudioTrack;
import java.util.concurrent.locks.LockSupport;

/**
 * The platform live path: {@link AudioRecord} (16-bit mono) in, {@link AudioTrack} in
 * low-latency mode out, and one processing thread between them that reads a 10 ms frame
 * (blocking), runs the {@link FrameProcessor} and writes the result without blocking.
 *
 * <p>All buffers are allocated in {@link #start}; the loop allocates nothing. Counters:
 * {@code outputUnderruns} is {@link AudioTrack#getUnderrunCount()}; {@code inputOverruns} counts
 * frames whose processing outlasted the whole AudioRecord buffer (the device then had to drop
 * input: AudioRecord reports no overrun count itself). The latency estimate is one input frame
 * plus the AudioTrack buffer, without the processor's own algorithmic delay.
 *
 * <p>With {@code playback} false no AudioTrack is opened (recording without monitoring).
 */
public final class PlatformAudioEngine implements DuplexAudioEngine {
    private final int sampleRate;
    private final boolean playback;
    private final int audioSource;
    private volatile boolean running;
    private volatile String failure;
    private Thread thread;
    private AudioRecord record;
    private AudioTrack track;
    private volatile long frames;
    private volatile long overruns;
    private volatile long underruns;
    private volatile long drops;
    private volatile double latencyMillis = Double.NaN;

    /**
     * @param audioSource a {@code MediaRecorder.AudioSource}: UNPROCESSED where the device has it,
     *     else VOICE_RECOGNITION (no platform noise suppression in front of ours)
     */
    public PlatformAudioEngine(int sampleRate, boolean playback, int audioSource) {
        if (sampleRate < 8000 || sampleRate > 48000 || sampleRate % 100 != 0) {
            throw new IllegalArgumentException("sample rate must be a multiple of 100 Hz in [8000, 48000]: " + sampleRate);
        }
        this.sampleRate = sampleRate;
        this.playback = playback;
        this.audioSource = audioSource;
    }

    @Override
    public String name() {
        return playback ? "AudioRecord/AudioTrack" : "AudioRecord";
    }

    @Override
    public int sampleRate() {
        return sampleRate;
    }

    @Override
    public synchronized void start(FrameProcessor processor) throws AudioEngineException {
        if (running) {
            throw new IllegalStateException("already started");
        }
        int frame = frameSize();
        int minIn = AudioRecord.getMinBufferSize(sampleRate, AudioFormat.CHANNEL_IN_MONO, AudioFormat.ENCODING_PCM_16BIT);
        if (minIn <= 0) {
            throw new AudioEngineException("the microphone does not record " + sampleRate + " Hz mono 16-bit (min buffer " + minIn + ")");
        }
        int inBytes = Math.max(minIn, 8 * frame * 2);
        AudioRecord rec;
        try {
            rec = new AudioRecord(audioSource, sampleRate, AudioFormat.CHANNEL_IN_MONO, AudioFormat.ENCODING_PCM_16BIT, inBytes);
        } catch (IllegalArgumentException | SecurityException e) {
            throw new AudioEngineException("cannot open the microphone: " + e.getMessage(), e);
        }
        if (rec.getState() != AudioRecord.STATE_INITIALIZED) {
            rec.release();
            throw new AudioEngineException("the microphone did not initialise (is another app recording?)");
        }
        AudioTrack out = null;
        if (playback) {
            try {
                int minOut = AudioTrack.getMinBufferSize(sampleRate, AudioFormat.CHANNEL_OUT_MONO, AudioFormat.ENCODING_PCM_16BIT);
                out = new AudioTrack.Builder()
                        .setAudioAttributes(new AudioAttributes.Builder()
                                .setUsage(AudioAttributes.USAGE_MEDIA)
                                .setContentType(AudioAttributes.CONTENT_TYPE_SPEECH).build())
                        .setAudioFormat(new AudioFormat.Builder()
                                .setEncoding(AudioFormat.ENCODING_PCM_16BIT)
                                .setSampleRate(sampleRate)
                                .setChannelMask(AudioFormat.CHANNEL_OUT_MONO).build())
                        .setBufferSizeInBytes(Math.max(minOut, 4 * frame * 2))
                        .setTransferMode(AudioTrack.MODE_STREAM)
                        .setPerformanceMode(AudioTrack.PERFORMANCE_MODE_LOW_LATENCY)
                        .build();
            } catch (RuntimeException e) {
                rec.release();
                throw new AudioEngineException("cannot open the audio output: " + e.getMessage(), e);
            }
        }
        try {
            rec.startRecording();
            if (rec.getRecordingState() != AudioRecord.RECORDSTATE_RECORDING) {
                throw new AudioEngineException("the microphone did not start (in use by another app?)");
            }
            if (out != null) {
                out.play();
            }
        } catch (IllegalStateException | AudioEngineException e) {
            rec.release();
            if (out != null) {
                out.release();
            }
            throw e instanceof AudioEngineException ae ? ae
                    : new AudioEngineException("cannot start audio: " + e.getMessage(), e);
        }
        record = rec;
        track = out;
        frames = 0;
        overruns = 0;
        underruns = 0;
        drops = 0;
        failure = null;
        int trackFrames = out == null ? 0 : out.getBufferSizeInFrames();
        latencyMillis = 1000.0 * (frame + trackFrames) / sampleRate;
        long inBufferNanos = 1_000_000_000L * (inBytes / 2) / sampleRate;
        running = true;
        short[] inPcm = new short[frame];
        byte[] outPcm = new byte[2 * frame];
        float[] in = new float[frame];
        float[] result = new float[frame];
        AudioTrack output = out;
        thread = new Thread(() -> loop(processor, rec, output, inPcm, outPcm, in, result, inBufferNanos), "live-audio");
        thread.setPriority(Thread.MAX_PRIORITY);
        thread.start();
    }

    private void loop(FrameProcessor processor, AudioRecord rec, AudioTrack out, short[] inPcm, byte[] outPcm,
            float[] in, float[] result, long inBufferNanos) {
        int frame = inPcm.length;
        try {
            while (running) {
                int got = 0;
                while (got < frame && running) {
                    int n = rec.read(inPcm, got, frame - got);
                    if (n < 0) {
                        failure = "the microphone stopped delivering audio (read " + n + ")";
                        running = false;
                        return;
                    }
                    if (n == 0) {
                        LockSupport.parkNanos(500_000);
                    }
                    got += n;
                }
                if (!running) {
                    return;
                }
                long t0 = System.nanoTime();
                for (int i = 0; i < frame; i++) {
                    in[i] = inPcm[i] * (1f / 32768f);
                }
                processor.process(in, result);
                if (out != null) {
                    for (int i = 0; i < frame; i++) {
                        float x = Math.max(-1f, Math.min(1f, result[i]));
                        int s = Math.round(x * 32767f);
                        outPcm[2 * i] = (byte) s;
                        outPcm[2 * i + 1] = (byte) (s >> 8);
                    }
                    int written = out.write(outPcm, 0, outPcm.length, AudioTrack.WRITE_NON_BLOCKING);
                    if (written >= 0 && written < outPcm.length) {
                        drops++; // the track's buffer is full (we are behind): the rest is dropped
                    }
                    underruns = out.getUnderrunCount();
                }
                if (System.nanoTime() - t0 > inBufferNanos) {
                    overruns++;
                }
                frames++;
            }
        } catch (RuntimeException e) {
            failure = "audio processing failed: " + e;
            running = false;
        }
    }

    /** Why the loop ended on its own (the microphone failed, the processor threw), or null. */
    public String failure() {
        return failure;
    }

    @Override
    public synchronized void stop() {
        running = false;
        Thread t = thread;
        if (t != null) {
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            thread = null;
        }
        if (record != null) {
            try {
                record.stop();
            } catch (IllegalStateException ignored) {
                // already stopped by the system; releasing is what matters
            }
            record.release();
            record = null;
        }
        if (track != null) {
            try {
                track.stop();
            } catch (IllegalStateException ignored) {
                // never played
            }
            track.release();
            track = null;
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    @Override
    public AudioEngineStats stats() {
        return new AudioEngineStats(frames, overruns, underruns, drops, latencyMillis);
    }

    @Override
    public void close() {
        stop();
    }
}
