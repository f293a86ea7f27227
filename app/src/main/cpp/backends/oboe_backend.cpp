// Oboe backend. NOT compiled on the project's machines (no NDK, no Oboe there): written against
// Oboe 1.8's public API and kept small so that the untested surface is this file only.
#include "oboe_backend.h"

#include <oboe/Oboe.h>

#include <atomic>
#include <cmath>
#include <limits>
#include <string>

namespace denoise {

namespace {

class OboeBackend final : public AudioBackend,
                          public oboe::AudioStreamDataCallback,
                          public oboe::AudioStreamErrorCallback,
                          private InputReader {
public:
    std::string name() const override { return "Oboe"; }

    std::string open(int32_t sampleRate, DuplexCallback* callback, StreamInfo* info) override {
        callback_ = callback;
        oboe::AudioStreamBuilder output;
        output.setDirection(oboe::Direction::Output)
            ->setPerformanceMode(oboe::PerformanceMode::LowLatency)
            ->setSharingMode(oboe::SharingMode::Exclusive)
            ->setFormat(oboe::AudioFormat::Float)
            ->setChannelCount(oboe::ChannelCount::Mono)
            ->setSampleRate(sampleRate)
            ->setSampleRateConversionQuality(oboe::SampleRateConversionQuality::Medium)
            ->setDataCallback(this)
            ->setErrorCallback(this);
        oboe::Result result = output.openStream(output_);
        if (result != oboe::Result::OK) return std::string("output stream: ") + oboe::convertToText(result);

        oboe::AudioStreamBuilder input;
        input.setDirection(oboe::Direction::Input)
            ->setPerformanceMode(oboe::PerformanceMode::LowLatency)
            ->setSharingMode(oboe::SharingMode::Exclusive)
            ->setFormat(oboe::AudioFormat::Float)
            ->setChannelCount(oboe::ChannelCount::Mono)
            ->setSampleRate(sampleRate)
            ->setSampleRateConversionQuality(oboe::SampleRateConversionQuality::Medium)
            ->setInputPreset(oboe::InputPreset::VoicePerformance)
            ->setBufferCapacityInFrames(output_->getBufferCapacityInFrames() * 2);
        result = input.openStream(input_);
        if (result != oboe::Result::OK) {
            close();
            return std::string("input stream: ") + oboe::convertToText(result);
        }
        // Let the input hold as much as it can: the output callback drains it each burst.
        input_->setBufferSizeInFrames(input_->getBufferCapacityInFrames());
        info->sampleRate = output_->getSampleRate();
        info->framesPerBurst = output_->getFramesPerBurst();
        return {};
    }

    std::string start() override {
        oboe::Result result = input_->requestStart();
        if (result != oboe::Result::OK) return std::string("input start: ") + oboe::convertToText(result);
        result = output_->requestStart();
        if (result != oboe::Result::OK) {
            input_->requestStop();
            return std::string("output start: ") + oboe::convertToText(result);
        }
        return {};
    }

    void stop() override {
        // stop() (unlike requestStop()) waits until the stream has stopped, so no callback is
        // running when it returns. The callback-driving output stream goes first.
        if (output_) output_->stop();
        if (input_) input_->stop();
    }

    void close() override {
        if (output_) output_->close();
        if (input_) input_->close();
        output_.reset();
        input_.reset();
    }

    double deviceLatencyMillis() const override {
        if (!output_ || !input_) return std::numeric_limits<double>::quiet_NaN();
        auto out = output_->calculateLatencyMillis();
        auto in = input_->calculateLatencyMillis();
        if (!out || !in) return std::numeric_limits<double>::quiet_NaN();
        return out.value() + in.value();
    }

    int64_t deviceXruns() const override {
        int64_t total = 0;
        if (output_) {
            auto x = output_->getXRunCount();
            if (x) total += x.value();
        }
        if (input_) {
            auto x = input_->getXRunCount();
            if (x) total += x.value();
        }
        return total + inputReadErrors_.load(std::memory_order_relaxed);
    }

    oboe::DataCallbackResult onAudioReady(oboe::AudioStream*, void* audioData, int32_t numFrames) override {
        callback_->onDuplexBurst(*this, static_cast<float*>(audioData), numFrames);
        return oboe::DataCallbackResult::Continue;
    }

    void onErrorAfterClose(oboe::AudioStream*, oboe::Result) override {
        // The device went away (e.g. headphones unplugged). Counted; the Java side sees the
        // engine stall (underruns stop changing) and can restart it.
        inputReadErrors_.fetch_add(1, std::memory_order_relaxed);
    }

private:
    int32_t readInput(float* dst, int32_t maxFrames) noexcept override {
        auto result = input_->read(dst, maxFrames, 0);  // zero timeout: never blocks
        if (!result) {
            inputReadErrors_.fetch_add(1, std::memory_order_relaxed);
            return 0;
        }
        return result.value();
    }

    DuplexCallback* callback_ = nullptr;
    std::shared_ptr<oboe::AudioStream> output_;
    std::shared_ptr<oboe::AudioStream> input_;
    std::atomic<int64_t> inputReadErrors_{0};
};

}  // namespace

std::unique_ptr<AudioBackend> makeOboeBackend() { return std::make_unique<OboeBackend>(); }

}  // namespace denoise
