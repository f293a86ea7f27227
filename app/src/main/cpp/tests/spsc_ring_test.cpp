#include "engine/spsc_ring.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <deque>
#include <random>
#include <thread>
#include <vector>

namespace denoise {
namespace {

#if defined(__SANITIZE_THREAD__)
constexpr uint64_t kStressItems = 6'000'000;  // ThreadSanitizer runs ~10-20x slower
#else
constexpr uint64_t kStressItems = 60'000'000;
#endif

TEST(SpscRingTest, CapacityIsRoundedUpToAPowerOfTwo) {
    EXPECT_EQ(SpscRing<float>(1).capacity(), 1u);
    EXPECT_EQ(SpscRing<float>(480).capacity(), 512u);
    EXPECT_EQ(SpscRing<float>(512).capacity(), 512u);
    EXPECT_THROW(SpscRing<float>(0), std::invalid_argument);
}

TEST(SpscRingTest, WriteStopsWhenFullAndReadStopsWhenEmpty) {
    SpscRing<int> ring(8);
    std::vector<int> data(12);
    for (int i = 0; i < 12; ++i) data[i] = i;
    EXPECT_EQ(ring.write(data.data(), 12), 8u);
    EXPECT_EQ(ring.writeSpace(), 0u);
    EXPECT_EQ(ring.write(data.data(), 1), 0u);
    std::vector<int> out(12, -1);
    EXPECT_EQ(ring.read(out.data(), 12), 8u);
    for (int i = 0; i < 8; ++i) EXPECT_EQ(out[i], i);
    EXPECT_EQ(ring.read(out.data(), 1), 0u);
    EXPECT_EQ(ring.totalWritten(), 8u);
    EXPECT_EQ(ring.totalRead(), 8u);
}

// Random chunk sizes against a std::deque model, crossing the wrap-around point many times.
TEST(SpscRingTest, MatchesAQueueModelOverRandomChunks) {
    SpscRing<uint32_t> ring(64);
    std::deque<uint32_t> model;
    std::mt19937 random(7);
    std::uniform_int_distribution<int> chunk(0, 80);
    uint32_t next = 0;
    std::vector<uint32_t> buffer(80);
    for (int step = 0; step < 20000; ++step) {
        const int n = chunk(random);
        if (step % 2 == 0) {
            for (int i = 0; i < n; ++i) buffer[i] = next + i;
            const size_t written = ring.write(buffer.data(), n);
            ASSERT_EQ(written, std::min<size_t>(n, 64 - model.size())) << "step " << step;
            for (size_t i = 0; i < written; ++i) model.push_back(next + i);
            next += static_cast<uint32_t>(written);
        } else {
            const size_t got = ring.read(buffer.data(), n);
            ASSERT_EQ(got, std::min<size_t>(n, model.size())) << "step " << step;
            for (size_t i = 0; i < got; ++i) {
                ASSERT_EQ(buffer[i], model.front()) << "step " << step << " item " << i;
                model.pop_front();
            }
        }
        ASSERT_EQ(ring.readAvailable(), model.size());
        ASSERT_EQ(ring.totalWritten() - ring.totalRead(), model.size());
    }
}

// One producer and one consumer thread with unrelated random chunk sizes move a counting
// sequence; every item must arrive once, in order. Also run under ThreadSanitizer (ci.sh).
void stress(size_t capacity, int maxWriteChunk, int maxReadChunk, uint64_t items) {
    SpscRing<uint64_t> ring(capacity);
    const auto begin = std::chrono::steady_clock::now();
    std::thread producer([&] {
        std::mt19937 random(11);
        std::uniform_int_distribution<int> chunk(1, maxWriteChunk);
        std::vector<uint64_t> buffer(static_cast<size_t>(maxWriteChunk));
        uint64_t next = 0;
        while (next < items) {
            const size_t n = std::min<uint64_t>(chunk(random), items - next);
            for (size_t i = 0; i < n; ++i) buffer[i] = next + i;
            size_t done = 0;
            while (done < n) {
                const size_t w = ring.write(buffer.data() + done, n - done);
                if (w == 0) std::this_thread::yield();
                done += w;
            }
            next += n;
        }
    });
    std::mt19937 random(13);
    std::uniform_int_distribution<int> chunk(1, maxReadChunk);
    std::vector<uint64_t> buffer(static_cast<size_t>(maxReadChunk));
    uint64_t expected = 0;
    uint64_t errors = 0;
    while (expected < items) {
        const size_t got = ring.read(buffer.data(), static_cast<size_t>(chunk(random)));
        if (got == 0) std::this_thread::yield();
        for (size_t i = 0; i < got; ++i) {
            if (buffer[i] != expected + i) ++errors;
        }
        expected += got;
    }
    producer.join();
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - begin).count();
    std::printf("ring stress: capacity %zu, chunks <= %d in / <= %d out: %llu items in %.2f s (%.1f M/s), "
                "%llu out of order\n",
                capacity, maxWriteChunk, maxReadChunk, static_cast<unsigned long long>(items), seconds,
                items / seconds / 1e6, static_cast<unsigned long long>(errors));
    EXPECT_EQ(errors, 0u);
    EXPECT_EQ(ring.totalWritten(), items);
    EXPECT_EQ(ring.totalRead(), items);
    EXPECT_EQ(ring.readAvailable(), 0u);
}

// Tiny chunks make this case ~50x slower per item (and it yields a lot when the CPUs are busy).
TEST(SpscRingStressTest, SmallRingSmallChunks) { stress(16, 7, 5, kStressItems / 20); }

TEST(SpscRingStressTest, BurstsInFramesOut) { stress(2048, 441, 480, kStressItems); }

TEST(SpscRingStressTest, ChunksAsLargeAsTheRing) { stress(1024, 1024, 1024, kStressItems); }

}  // namespace
}  // namespace denoise
