#include "duplex_engine.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>

namespace denoise {

namespace {
// Bounds the reads one callback makes, so a misbehaving input can never spin the callback.
constexpr int kMaxReadsPerCallback = 64;
}  // namespace

DuplexEngine::DuplexEngine(std::unique_ptr<AudioBackend> backend, EngineConfig config)
    : backend_(std::move(backend)), config_(config), frameSize_(config.sampleRate / 100) {
    if (!backend_) throw std::invalid_argument("DuplexEngine needs a backend");
    if (config_.sampleRate < 8000 || config_.sampleRate > 384000) {
        throw std::invalid_argument("sample rate out of range: " + std::to_string(config_.sampleRate));
    }
    if (config_.ringFrames < 2) {
        throw std::invalid_argument("ringFrames must be at least 2, got " + std::to_string(config_.ringFrames));
    }
}

DuplexEngine::~DuplexEngine() { stop(); }

std::string DuplexEngine::start() {
    std::lock_guard<std::mutex> lock(controlMutex_);
    if (open_) return "already running";
    StreamInfo info;
    std::string error = backend_->open(config_.sampleRate, this, &info);
    if (!error.empty()) return error;
    if (info.sampleRate != config_.sampleRate || info.framesPerBurst <= 0) {
        backend_->close();
        return "device granted " + std::to_string(info.sampleRate) + " Hz with bursts of " +
               std::to_string(info.framesPerBurst) + " frames, the engine needs " +
               std::to_string(config_.sampleRate) + " Hz";
    }
    info_ = info;
    const int32_t burst = info.framesPerBurst;
    primeSamples_ = frameSize_ + (config_.extraPrimeSamples < 0 ? burst : config_.extraPrimeSamples);
    const size_t ringSize = std::max<size_t>(
        {static_cast<size_t>(config_.ringFrames) * frameSize_, 4 * static_cast<size_t>(burst),
         2 * static_cast<size_t>(primeSamples_)});
    // Buffers are allocated here, before the first callback, and never in the callback.
    toProcessor_ = std::make_unique<SpscRing<float>>(ringSize);
    fromProcessor_ = std::make_unique<SpscRing<float>>(ringSize);
    scratchFrames_ = std::max(burst, frameSize_);
    scratch_ = std::make_unique<float[]>(static_cast<size_t>(scratchFrames_));
    inputSignal_.reset();

    phase_.store(static_cast<int32_t>(EnginePhase::Draining), std::memory_order_relaxed);
    phaseCallbacks_ = 0;
    playing_ = false;
    behindAfterUnderrun_ = false;
    processedPlayed_ = 0;
    callbacks_.store(0, std::memory_order_relaxed);
    inputOverruns_.store(0, std::memory_order_relaxed);
    inputSamplesDropped_.store(0, std::memory_order_relaxed);
    outputUnderruns_.store(0, std::memory_order_relaxed);
    underrunSamples_.store(0, std::memory_order_relaxed);
    latencySamples_.store(-1, std::memory_order_relaxed);
    maxLatencySamples_.store(-1, std::memory_order_relaxed);
    startTrimmed_.store(0, std::memory_order_relaxed);
    latencyTrims_.store(0, std::memory_order_relaxed);
    latencyTrimmedSamples_.store(0, std::memory_order_relaxed);
    framesProcessed_.store(0, std::memory_order_relaxed);
    submitOverflows_.store(0, std::memory_order_relaxed);
    deviceXrunsAtStop_ = 0;

    active_.store(true, std::memory_order_release);
    error = backend_->start();
    if (!error.empty()) {
        active_.store(false, std::memory_order_release);
        backend_->stop();
        backend_->close();
        phase_.store(static_cast<int32_t>(EnginePhase::Stopped), std::memory_order_relaxed);
        return error;
    }
    open_ = true;
    return {};
}

void DuplexEngine::stop() {
    std::lock_guard<std::mutex> lock(controlMutex_);
    if (!open_) return;
    backend_->stop();
    deviceXrunsAtStop_ = backend_->deviceXruns();
    backend_->close();
    open_ = false;
    phase_.store(static_cast<int32_t>(EnginePhase::Stopped), std::memory_order_relaxed);
    active_.store(false, std::memory_order_release);
    inputSignal_.post();
}

DuplexEngine::Take DuplexEngine::takeFrame(float* dst, int32_t timeoutMillis) {
    const size_t frame = static_cast<size_t>(frameSize_);
    for (;;) {
        if (!active_.load(std::memory_order_acquire)) return Take::Stopped;
        if (toProcessor_->readAvailable() >= frame) break;
        if (timeoutMillis <= 0) return Take::Timeout;
        inputSignal_.prepareWait();
        if (toProcessor_->readAvailable() >= frame || !active_.load(std::memory_order_acquire)) {
            inputSignal_.cancelWait();
            continue;
        }
        inputSignal_.wait(timeoutMillis);
        if (toProcessor_->readAvailable() < frame) {
            return active_.load(std::memory_order_acquire) ? Take::Timeout : Take::Stopped;
        }
    }
    toProcessor_->read(dst, frame);
    return Take::Frame;
}

bool DuplexEngine::submitFrame(const float* src) {
    const size_t frame = static_cast<size_t>(frameSize_);
    if (fromProcessor_->writeSpace() < frame) {
        submitOverflows_.fetch_add(1, std::memory_order_relaxed);
        return false;
    }
    fromProcessor_->write(src, frame);
    framesProcessed_.fetch_add(1, std::memory_order_relaxed);
    return true;
}

void DuplexEngine::onDuplexBurst(InputReader& input, float* output, int32_t frames) noexcept {
    callbacks_.store(callbacks_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    const auto phase = static_cast<EnginePhase>(phase_.load(std::memory_order_relaxed));
    switch (phase) {
        case EnginePhase::Draining: {
            bool sawEmpty = false;
            discardInput(input, &sawEmpty);
            std::memset(output, 0, sizeof(float) * static_cast<size_t>(frames));
            if (sawEmpty || ++phaseCallbacks_ >= config_.maxDrainCallbacks) {
                phaseCallbacks_ = 0;
                phase_.store(static_cast<int32_t>(EnginePhase::Settling), std::memory_order_relaxed);
            }
            return;
        }
        case EnginePhase::Settling: {
            bool sawEmpty = false;
            discardInput(input, &sawEmpty);
            std::memset(output, 0, sizeof(float) * static_cast<size_t>(frames));
            if (++phaseCallbacks_ >= config_.settleCallbacks) {
                phase_.store(static_cast<int32_t>(EnginePhase::Running), std::memory_order_relaxed);
            }
            return;
        }
        case EnginePhase::Running: {
            // Input still waiting for the processing thread before this callback adds to it.
            const size_t backlog = toProcessor_->fillLevel();
            passInput(input);
            playOutput(output, frames, backlog);
            return;
        }
        case EnginePhase::Stopped:
        default:
            std::memset(output, 0, sizeof(float) * static_cast<size_t>(frames));
            return;
    }
}

void DuplexEngine::discardInput(InputReader& input, bool* sawEmpty) noexcept {
    for (int i = 0; i < kMaxReadsPerCallback; ++i) {
        const int32_t n = input.readInput(scratch_.get(), scratchFrames_);
        if (n <= 0) {
            *sawEmpty = true;
            return;
        }
    }
}

void DuplexEngine::passInput(InputReader& input) noexcept {
    bool pushed = false;
    for (int i = 0; i < kMaxReadsPerCallback; ++i) {
        const int32_t n = input.readInput(scratch_.get(), scratchFrames_);
        if (n <= 0) break;
        const size_t written = toProcessor_->write(scratch_.get(), static_cast<size_t>(n));
        if (written < static_cast<size_t>(n)) {
            inputOverruns_.store(inputOverruns_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
            inputSamplesDropped_.store(
                inputSamplesDropped_.load(std::memory_order_relaxed) + (n - static_cast<int64_t>(written)),
                std::memory_order_relaxed);
        }
        pushed = pushed || written > 0;
        if (n < scratchFrames_) break;
    }
    if (pushed) inputSignal_.post();
}

void DuplexEngine::playOutput(float* output, int32_t frames, size_t inputBacklog) noexcept {
    const size_t want = static_cast<size_t>(frames);
    if (!playing_) {
        // Start once the output holds the prime level and the processing thread has caught up
        // with the input (less than a frame waiting). A processing thread that was slow to start
        // (class loading, a cold JIT) leaves more than the prime level queued: the excess oldest
        // samples are dropped, so the latency does not carry the start-up hiccup forever.
        const size_t queued = fromProcessor_->readAvailable();
        if (queued >= static_cast<size_t>(primeSamples_) && inputBacklog < static_cast<size_t>(frameSize_)) {
            const size_t trimmed = fromProcessor_->skip(queued - static_cast<size_t>(primeSamples_));
            processedPlayed_ += trimmed;
            startTrimmed_.store(static_cast<int64_t>(trimmed), std::memory_order_relaxed);
            playing_ = true;
        }
    } else if (behindAfterUnderrun_ && inputBacklog < static_cast<size_t>(frameSize_)) {
        // Latency recovery: an underrun delays everything after it by the silence it played. Once
        // the processing thread has caught up and more than a frame beyond the prime level is
        // queued, drop the excess oldest processed samples (one audible skip, counted) so the
        // latency returns to the prime level instead of keeping every stall forever.
        const size_t queued = fromProcessor_->readAvailable();
        if (config_.recoverLatency && queued > static_cast<size_t>(primeSamples_ + frameSize_)) {
            const size_t trimmed = fromProcessor_->skip(queued - static_cast<size_t>(primeSamples_));
            processedPlayed_ += trimmed;
            latencyTrims_.store(latencyTrims_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
            latencyTrimmedSamples_.store(
                latencyTrimmedSamples_.load(std::memory_order_relaxed) + static_cast<int64_t>(trimmed),
                std::memory_order_relaxed);
            behindAfterUnderrun_ = false;
        }
    }
    // Samples that entered the engine minus processed samples that left it: what the engine
    // holds between capture and playback (rings, the frame being processed, the prime margin).
    const int64_t held = static_cast<int64_t>(toProcessor_->totalWritten() - processedPlayed_);
    latencySamples_.store(held, std::memory_order_relaxed);
    if (!playing_) {
        std::memset(output, 0, sizeof(float) * want);
        return;
    }
    if (held > maxLatencySamples_.load(std::memory_order_relaxed)) {
        maxLatencySamples_.store(held, std::memory_order_relaxed);
    }
    const size_t got = fromProcessor_->read(output, want);
    processedPlayed_ += got;
    if (got < want) {
        std::memset(output + got, 0, sizeof(float) * (want - got));
        outputUnderruns_.store(outputUnderruns_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
        underrunSamples_.store(underrunSamples_.load(std::memory_order_relaxed) + static_cast<int64_t>(want - got),
                               std::memory_order_relaxed);
        behindAfterUnderrun_ = true;
    }
}

EngineStats DuplexEngine::stats() const {
    std::lock_guard<std::mutex> lock(controlMutex_);
    EngineStats s;
    s.phase = static_cast<EnginePhase>(phase_.load(std::memory_order_relaxed));
    s.callbacks = callbacks_.load(std::memory_order_relaxed);
    s.framesProcessed = framesProcessed_.load(std::memory_order_relaxed);
    s.inputOverruns = inputOverruns_.load(std::memory_order_relaxed);
    s.inputSamplesDropped = inputSamplesDropped_.load(std::memory_order_relaxed);
    s.outputUnderruns = outputUnderruns_.load(std::memory_order_relaxed);
    s.underrunSamples = underrunSamples_.load(std::memory_order_relaxed);
    s.submitOverflows = submitOverflows_.load(std::memory_order_relaxed);
    s.deviceXruns = open_ ? backend_->deviceXruns() : deviceXrunsAtStop_;
    s.latencySamples = latencySamples_.load(std::memory_order_relaxed);
    s.maxLatencySamples = maxLatencySamples_.load(std::memory_order_relaxed);
    s.startTrimmedSamples = startTrimmed_.load(std::memory_order_relaxed);
    s.latencyTrims = latencyTrims_.load(std::memory_order_relaxed);
    s.latencyTrimmedSamples = latencyTrimmedSamples_.load(std::memory_order_relaxed);
    s.framesPerBurst = info_.framesPerBurst;
    s.primeSamples = primeSamples_;
    s.deviceLatencyMillis = open_ ? backend_->deviceLatencyMillis() : std::numeric_limits<double>::quiet_NaN();
    if (s.latencySamples < 0) {
        s.latencyMillis = std::numeric_limits<double>::quiet_NaN();
    } else {
        const double device = std::isnan(s.deviceLatencyMillis) ? 0.0 : s.deviceLatencyMillis;
        s.latencyMillis = 1000.0 * static_cast<double>(s.latencySamples) / config_.sampleRate + device;
    }
    return s;
}

}  // namespace denoise
