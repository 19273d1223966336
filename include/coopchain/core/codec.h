// The canonical binary encoding that core defines for everything that is hashed or stored:
// block headers, votes, state entries. Integers are fixed-width big-endian, strings and byte
// strings are a 4-byte big-endian length then the bytes, lists a 4-byte count then the items.
// There is exactly one encoding of a value, so two builds agree byte for byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "coopchain/core/hash.h"

namespace coopchain {

class Writer {
 public:
  Writer& u8(uint8_t v);
  Writer& u32(uint32_t v);
  Writer& u64(uint64_t v);
  Writer& i64(int64_t v) { return u64(static_cast<uint64_t>(v)); }
  Writer& boolean(bool v) { return u8(v ? 1 : 0); }
  Writer& bytes(std::string_view v);
  Writer& hash(const Hash256& h);
  // A list or map size, written before its items.
  Writer& count(size_t n) { return u32(static_cast<uint32_t>(n)); }

  const std::string& data() const& { return out_; }
  std::string data() && { return std::move(out_); }

 private:
  std::string out_;
};

// Reads what Writer wrote. Any read past the end or any malformed length sets failed() and
// yields zero values from then on; callers check failed() (or at_end_ok()) once at the end.
class Reader {
 public:
  explicit Reader(std::string_view in) : in_(in) {}

  uint8_t u8();
  uint32_t u32();
  uint64_t u64();
  int64_t i64() { return static_cast<int64_t>(u64()); }
  bool boolean() { return u8() != 0; }
  std::string bytes();
  Hash256 hash();
  // A list count, refused (failed) when it could not possibly fit in the remaining input.
  size_t count(size_t min_item_size = 1);

  bool failed() const { return failed_; }
  // True when every byte was consumed and nothing failed.
  bool at_end_ok() const { return !failed_ && pos_ == in_.size(); }
  // True when every byte was consumed (also after a failure).
  bool at_end() const { return pos_ >= in_.size(); }

 private:
  bool need(size_t n);
  std::string_view in_;
  size_t pos_ = 0;
  bool failed_ = false;
};

}  // namespace coopchain
