#include "escaping_output.h"

#include <gtest/gtest.h>

#include <sstream>

namespace coopchain::cli {
namespace {

std::string through_escaping(const std::string& text) {
  std::ostringstream sink;
  {
    EscapedStream guard(sink);
    // One character at a time and all at once must give the same: sequences may be split.
    for (char c : text.substr(0, text.size() / 2)) sink << c;
    sink << text.substr(text.size() / 2);
  }
  return sink.str();
}

TEST(EscapingOutput, EscapesWhatCouldDriveTheTerminal) {
  EXPECT_EQ(through_escaping("farmer \x1b[2J\x1b[HCERTIFIED"),
            "farmer \\u001B[2J\\u001B[HCERTIFIED");
  EXPECT_EQ(through_escaping("a\rb\x7f"), "a\\u000Db\\u007F");
  EXPECT_EQ(through_escaping("c1 \xc2\x9b"), "c1 \\u009B");
  EXPECT_EQ(through_escaping("bidi \xe2\x80\xae"
                             "cigam"),
            "bidi \\u202Ecigam");
}

TEST(EscapingOutput, KeepsLayoutAndOrdinaryText) {
  const std::string text =
      "lot:\tL-1\nfarmer: Jos\xc3\xa9 \xc3\x91u\xc3\xb1"
      "ez \xe2\x82\xac \xf0\x9f\x8c\xb1\n";
  EXPECT_EQ(through_escaping(text), text);
  EXPECT_EQ(through_escaping("stray \xff byte"), "stray \xff byte");
}

}  // namespace
}  // namespace coopchain::cli
