// Lock-free single-producer / single-consumer ring buffer of trivially copyable samples.
//
// Ownership and threads: exactly one thread calls the producer methods (write, writeSpace) and
// exactly one thread calls the consumer methods (read, readAvailable, skip). Either thread may
// be the audio callback: no method allocates, locks, blocks or makes a system call. reset() is
// for when neither side is running.
//
// Counters: writeCount_ and readCount_ are monotonic 64-bit totals of items ever written / read
// (they never wrap in practice: 2^64 samples at 384 kHz is 1.5 million years). The fill level is
// writeCount - readCount, the slot of item n is n & mask_. The producer publishes items with a
// release store of writeCount_ after copying them, and the consumer reads writeCount_ with an
// acquire load before copying them out; symmetrically, the consumer hands slots back with a
// release store of readCount_ which the producer loads with acquire before reusing them.
#pragma once

#include <algorithm>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <string>
#include <type_traits>

namespace denoise {

template <typename T>
class SpscRing {
    static_assert(std::is_trivially_copyable<T>::value, "SpscRing copies items with memcpy");

public:
    // Allocates room for at least minCapacity items (rounded up to a power of two).
    explicit SpscRing(size_t minCapacity) : capacity_(roundUpPow2(minCapacity)), mask_(capacity_ - 1) {
        data_.reset(new T[capacity_]());
    }

    SpscRing(const SpscRing&) = delete;
    SpscRing& operator=(const SpscRing&) = delete;

    size_t capacity() const noexcept { return capacity_; }

    // Producer: items that write() would accept now.
    size_t writeSpace() const noexcept {
        const uint64_t w = writeCount_.load(std::memory_order_relaxed);
        const uint64_t r = readCount_.load(std::memory_order_acquire);
        return capacity_ - static_cast<size_t>(w - r);
    }

    // Producer: copies min(n, writeSpace()) items from src and returns how many.
    size_t write(const T* src, size_t n) noexcept {
        const uint64_t w = writeCount_.load(std::memory_order_relaxed);
        const uint64_t r = readCount_.load(std::memory_order_acquire);
        const size_t count = std::min(n, capacity_ - static_cast<size_t>(w - r));
        copyIn(w, src, count);
        writeCount_.store(w + count, std::memory_order_release);
        return count;
    }

    // Consumer: items that read() would return now.
    size_t readAvailable() const noexcept {
        const uint64_t r = readCount_.load(std::memory_order_relaxed);
        const uint64_t w = writeCount_.load(std::memory_order_acquire);
        return static_cast<size_t>(w - r);
    }

    // Consumer: copies min(n, readAvailable()) items into dst and returns how many.
    size_t read(T* dst, size_t n) noexcept {
        const uint64_t r = readCount_.load(std::memory_order_relaxed);
        const uint64_t w = writeCount_.load(std::memory_order_acquire);
        const size_t count = std::min(n, static_cast<size_t>(w - r));
        copyOut(r, dst, count);
        readCount_.store(r + count, std::memory_order_release);
        return count;
    }

    // Consumer: drops min(n, readAvailable()) items unread and returns how many.
    size_t skip(size_t n) noexcept {
        const uint64_t r = readCount_.load(std::memory_order_relaxed);
        const uint64_t w = writeCount_.load(std::memory_order_acquire);
        const size_t count = std::min(n, static_cast<size_t>(w - r));
        readCount_.store(r + count, std::memory_order_release);
        return count;
    }

    // Any thread: the fill level at some instant during the call (for decisions that tolerate a
    // stale value, e.g. the producer asking whether the consumer has caught up).
    size_t fillLevel() const noexcept {
        const uint64_t r = readCount_.load(std::memory_order_acquire);
        const uint64_t w = writeCount_.load(std::memory_order_acquire);
        return w > r ? static_cast<size_t>(w - r) : 0;
    }

    // Total items ever written / read: monotonic, readable from any thread (for accounting).
    uint64_t totalWritten() const noexcept { return writeCount_.load(std::memory_order_acquire); }
    uint64_t totalRead() const noexcept { return readCount_.load(std::memory_order_acquire); }

    // Empties the ring. Only while neither the producer nor the consumer is running.
    void reset() noexcept {
        writeCount_.store(0, std::memory_order_relaxed);
        readCount_.store(0, std::memory_order_relaxed);
    }

private:
    static size_t roundUpPow2(size_t n) {
        if (n == 0 || n > (size_t(1) << (sizeof(size_t) * 8 - 2))) {
            throw std::invalid_argument("SpscRing capacity out of range: " + std::to_string(n));
        }
        size_t c = 1;
        while (c < n) c <<= 1;
        return c;
    }

    // The region [start, start + count) may wrap around the end of the array: at most two copies.
    void copyIn(uint64_t start, const T* src, size_t count) noexcept {
        const size_t slot = static_cast<size_t>(start) & mask_;
        const size_t first = std::min(count, capacity_ - slot);
        std::memcpy(data_.get() + slot, src, first * sizeof(T));
        std::memcpy(data_.get(), src + first, (count - first) * sizeof(T));
    }

    void copyOut(uint64_t start, T* dst, size_t count) const noexcept {
        const size_t slot = static_cast<size_t>(start) & mask_;
        const size_t first = std::min(count, capacity_ - slot);
        std::memcpy(dst, data_.get() + slot, first * sizeof(T));
        std::memcpy(dst + first, data_.get(), (count - first) * sizeof(T));
    }

    const size_t capacity_;
    const size_t mask_;
    std::unique_ptr<T[]> data_;
    // Separate cache lines: the producer writes one counter, the consumer the other.
    alignas(64) std::atomic<uint64_t> writeCount_{0};
    alignas(64) std::atomic<uint64_t> readCount_{0};
};

}  // namespace denoise
