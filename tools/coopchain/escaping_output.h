// The CLI prints what others signed (names, findings, reasons) and must never let that text
// drive the terminal. Every byte the CLI writes to stdout and stderr passes through an
// EscapingStreambuf, which writes display controls (core/text.h) as the six characters \uXXXX:
// visible in text, and a valid escape inside a JSON string, the only place they can appear in
// JSON output. Newlines and tabs pass: the CLI's own layout uses them.
#pragma once

#include <cstdint>
#include <ostream>
#include <streambuf>
#include <string>

namespace coopchain::cli {

class EscapingStreambuf : public std::streambuf {
 public:
  explicit EscapingStreambuf(std::streambuf* target) : target_(target) {}
  ~EscapingStreambuf() override;

 protected:
  int_type overflow(int_type ch) override;
  int sync() override;

 private:
  void write_sequence();

  std::streambuf* target_;
  std::string pending_;  // an incomplete UTF-8 sequence
  size_t expected_ = 0;
};

// Routes `stream` through an EscapingStreambuf for as long as the guard lives.
class EscapedStream {
 public:
  explicit EscapedStream(std::ostream& stream);
  ~EscapedStream();
  EscapedStream(const EscapedStream&) = delete;
  EscapedStream& operator=(const EscapedStream&) = delete;

 private:
  std::ostream& stream_;
  std::streambuf* original_;
  EscapingStreambuf escaping_;
};

}  // namespace coopchain::cli
