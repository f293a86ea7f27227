#include "host_backend.h"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cstring>
#include <stdexcept>
#include <string>

namespace denoise {

HostBackend::HostBackend(HostDeviceConfig config) : config_(std::move(config)), random_(config_.seed) {
    if (config_.framesPerBurst <= 0) {
        throw std::invalid_argument("framesPerBurst must be positive, got " + std::to_string(config_.framesPerBurst));
    }
    if (config_.sampleRate <= 0) {
        throw std::invalid_argument("sampleRate must be positive, got " + std::to_string(config_.sampleRate));
    }
}

HostBackend::~HostBackend() {
    stop();
    close();
}

std::string HostBackend::open(int32_t sampleRate, DuplexCallback* callback, StreamInfo* info) {
    if (open_) return "host device already open";
    if (sampleRate != config_.sampleRate) {
        return "host device runs at " + std::to_string(config_.sampleRate) + " Hz, asked for " +
               std::to_string(sampleRate) + " Hz";
    }
    callback_ = callback;
    output_.assign(static_cast<size_t>(config_.framesPerBurst), 0.0f);
    capture_.assign(config_.captureFrames, 0.0f);
    dropouts_.clear();
    dropouts_.reserve(config_.maxRecordedDropouts);
    random_.seed(config_.seed);
    inputReadable_ = 0;
    inputRead_ = 0;
    burst_.store(0, std::memory_order_relaxed);
    xruns_.store(0, std::memory_order_relaxed);
    open_ = true;
    info->sampleRate = config_.sampleRate;
    info->framesPerBurst = config_.framesPerBurst;
    return {};
}

std::string HostBackend::start() {
    if (!open_) return "host device not open";
    if (running_.exchange(true)) return "host device already started";
    if (!config_.manualClock) clock_ = std::thread([this] { clockLoop(); });
    return {};
}

void HostBackend::stop() {
    running_.store(false);
    if (clock_.joinable()) clock_.join();
}

void HostBackend::close() {
    open_ = false;
    callback_ = nullptr;
}

void HostBackend::tick() noexcept {
    if (running_.load(std::memory_order_relaxed)) runBurst(false);
}

void HostBackend::clockLoop() {
    using Clock = std::chrono::steady_clock;
    if (config_.realtimeThread) {
        sched_param param{};
        param.sched_priority = sched_get_priority_min(SCHED_FIFO) + 1;
        realtimeGranted_.store(pthread_setschedparam(pthread_self(), SCHED_FIFO, &param) == 0);
    }
    const double periodSeconds = static_cast<double>(config_.framesPerBurst) / config_.sampleRate;
    const double lateLimitSeconds =
        config_.lateXrunMillis < 0 ? 2 * periodSeconds : config_.lateXrunMillis / 1000.0;
    const auto begin = Clock::now();
    for (int64_t k = 0; running_.load(std::memory_order_relaxed); ++k) {
        double offset = k * periodSeconds;
        if (config_.jitterMillis > 0) offset += (2 * unit_(random_) - 1) * config_.jitterMillis / 1000.0;
        const auto slot = begin + std::chrono::duration_cast<Clock::duration>(
                                      std::chrono::duration<double>(std::max(0.0, offset)));
        std::this_thread::sleep_until(slot);
        if (!running_.load(std::memory_order_relaxed)) break;
        const bool late = std::chrono::duration<double>(Clock::now() - slot).count() > lateLimitSeconds;
        runBurst(late);
    }
}

void HostBackend::runBurst(bool late) noexcept {
    const int64_t k = burst_.load(std::memory_order_relaxed);
    const uint64_t burst = static_cast<uint64_t>(config_.framesPerBurst);
    const uint64_t end = static_cast<uint64_t>(k + 1) * burst;
    const bool dropout =
        late || (config_.dropoutProbability > 0 && unit_(random_) < config_.dropoutProbability);
    const bool lag = config_.inputLagProbability > 0 && unit_(random_) < config_.inputLagProbability;
    if (dropout) {
        // Everything captured up to now is lost and this burst's output slot stays silent.
        inputReadable_ = end;
        inputRead_ = end;
        if (dropouts_.size() < dropouts_.capacity()) dropouts_.push_back(k);
        xruns_.store(xruns_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    } else {
        inputReadable_ = lag ? std::max(inputReadable_, end - burst) : end;
        callback_->onDuplexBurst(*this, output_.data(), config_.framesPerBurst);
        const uint64_t start = static_cast<uint64_t>(k) * burst;
        if (start < capture_.size()) {
            const size_t n = static_cast<size_t>(std::min<uint64_t>(burst, capture_.size() - start));
            std::memcpy(capture_.data() + start, output_.data(), n * sizeof(float));
        }
    }
    burst_.store(k + 1, std::memory_order_relaxed);
}

int32_t HostBackend::readInput(float* dst, int32_t maxFrames) noexcept {
    const uint64_t n = std::min<uint64_t>(static_cast<uint64_t>(std::max(maxFrames, 0)), inputReadable_ - inputRead_);
    const size_t length = config_.input.size();
    for (uint64_t i = 0; i < n; ++i) {
        dst[i] = length == 0 ? 0.0f : config_.input[static_cast<size_t>((inputRead_ + i) % length)];
    }
    inputRead_ += n;
    return static_cast<int32_t>(n);
}

}  // namespace denoise
