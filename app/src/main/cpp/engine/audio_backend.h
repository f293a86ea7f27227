// The seam between the engine core and an audio device (Oboe on Android, a simulated clock on
// the host). A backend owns an input and an output stream at one sample rate, mono float.
#pragma once

#include <cstdint>
#include <string>

namespace denoise {

// The input side as the output callback sees it: a non-blocking read of whatever input the
// device has captured since the last read (Oboe: AudioStream::read with a zero timeout).
class InputReader {
public:
    // Copies up to maxFrames captured samples into dst and returns how many (0 when none are
    // ready). Never blocks, allocates or locks.
    virtual int32_t readInput(float* dst, int32_t maxFrames) noexcept = 0;

protected:
    ~InputReader() = default;
};

// What the engine gives the backend: called on the device's real-time thread once per output
// buffer. Implementations must not allocate, lock, log, block or do I/O.
class DuplexCallback {
public:
    // Fills output[0, frames) and may read input through `input` (all of it, normally).
    virtual void onDuplexBurst(InputReader& input, float* output, int32_t frames) noexcept = 0;

protected:
    ~DuplexCallback() = default;
};

// What the device granted; known after open().
struct StreamInfo {
    int32_t sampleRate = 0;
    // The device's burst: frames per callback in steady state (callbacks may ask for other sizes).
    int32_t framesPerBurst = 0;
};

// One full-duplex device. Control methods (open/start/stop/close) are called by one control
// thread at a time, never from the callback; the engine serialises them with its control mutex.
class AudioBackend {
public:
    virtual ~AudioBackend() = default;

    // A short name for the UI and logs, e.g. "Oboe (AAudio)" or "host simulation".
    virtual std::string name() const = 0;

    // Opens both streams at sampleRate (mono float) and fills info. Allocates. Returns an empty
    // string on success, otherwise why it failed (then nothing is left open).
    virtual std::string open(int32_t sampleRate, DuplexCallback* callback, StreamInfo* info) = 0;

    // Starts the streams; callbacks begin. Empty string on success, otherwise why not.
    virtual std::string start() = 0;

    // Stops the streams; when it returns no callback is running or will run.
    virtual void stop() = 0;

    // Releases the streams opened by open(). Safe to call when nothing is open.
    virtual void close() = 0;

    // The device's own input + output latency in ms, beyond what the engine buffers; NaN when
    // the device cannot tell.
    virtual double deviceLatencyMillis() const = 0;

    // Glitches the device itself reported (bursts it lost or played late) since open().
    virtual int64_t deviceXruns() const = 0;
};

}  // namespace denoise
