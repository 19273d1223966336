#include "coopchain/wire/json_guard.h"

#include <set>
#include <vector>

namespace coopchain::wire {
namespace {

// One pass over the text with an explicit stack, so no input can exhaust the C++ stack. Strings
// are compared as written (escapes not decoded): "a" and "\u0061" are left to the parser, which
// maps both to the same field and so refuses neither; a duplicate written the same way is the
// case that silently changes meaning.
class StructureScanner {
 public:
  explicit StructureScanner(std::string_view json) : json_(json) {}

  std::string run() {
    while (pos_ < json_.size()) {
      const char c = json_[pos_];
      if (c == '{' || c == '[') {
        if (frames_.size() >= static_cast<size_t>(kMaxJsonDepth)) {
          return "JSON nested deeper than " + std::to_string(kMaxJsonDepth) + " levels at byte " +
                 std::to_string(pos_);
        }
        frames_.push_back({c == '{', {}, true});
        ++pos_;
      } else if (c == '}' || c == ']') {
        if (!frames_.empty()) frames_.pop_back();
        ++pos_;
      } else if (c == '"') {
        const size_t start = pos_;
        if (!skip_string()) return {};
        if (!frames_.empty() && frames_.back().is_object && frames_.back().expect_key) {
          std::string_view key = json_.substr(start + 1, pos_ - start - 2);
          if (!frames_.back().keys.emplace(key).second) {
            return "JSON object names \"" + std::string(key) + "\" twice (byte " +
                   std::to_string(start) + ")";
          }
          frames_.back().expect_key = false;
        }
      } else if (c == ',') {
        if (!frames_.empty()) frames_.back().expect_key = true;
        ++pos_;
      } else {
        ++pos_;
      }
    }
    return {};
  }

 private:
  struct Frame {
    bool is_object;
    std::set<std::string_view> keys;
    bool expect_key;
  };

  // Moves past a string starting at pos_; false when it never ends.
  bool skip_string() {
    ++pos_;
    while (pos_ < json_.size()) {
      const char c = json_[pos_++];
      if (c == '\\') {
        ++pos_;
      } else if (c == '"') {
        return true;
      }
    }
    return false;
  }

  std::string_view json_;
  size_t pos_ = 0;
  std::vector<Frame> frames_;
};

}  // namespace

std::string check_json_structure(std::string_view json) {
  return StructureScanner(json).run();
}

}  // namespace coopchain::wire
