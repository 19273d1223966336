#include "worked_examples.h"

#include <gtest/gtest.h>

#include <fstream>
#include <map>
#include <regex>
#include <sstream>

#include "coopchain/core/civil_time.h"

namespace coopchain::testing {
namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path);
  EXPECT_TRUE(in.good()) << "cannot read " << path;
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

TimeMs parsed_time(const std::string& text) {
  const std::optional<TimeMs> t = parse_rfc3339(text);
  EXPECT_TRUE(t.has_value()) << "not an RFC 3339 time: " << text;
  return t.value_or(0);
}

}  // namespace

std::string example_moved(const std::string& path, std::chrono::milliseconds shift) {
  const std::string text = read_text(path);
  const std::regex stamp(R"re("(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ)")re");
  std::string out;
  auto last = text.cbegin();
  for (std::sregex_iterator it(text.begin(), text.end(), stamp), end; it != end; ++it) {
    out.append(last, (*it)[0].first);
    out += "\"" + format_rfc3339(parsed_time((*it)[1].str()) + shift.count()) + "\"";
    last = (*it)[0].second;
  }
  out.append(last, text.cend());
  return out;
}

std::chrono::milliseconds shift_to(const std::string& example_time, std::chrono::milliseconds ago) {
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
      std::chrono::system_clock::now().time_since_epoch());
  const auto target = std::chrono::milliseconds(now) - ago;
  return target - std::chrono::milliseconds(parsed_time(example_time));
}

std::vector<DocSubmission> doc_submissions(const std::string& doc, const std::string& heading) {
  std::istringstream lines(read_text(doc));
  // "o=examples/organic"; "$cc submit $o/07-harvests.json --key data/keys/coop-1.pem --wait", and
  // in a table row "| `$cc submit $o/frauds/x.json --key data/keys/coop-1.pem --wait` | `CODE`: |".
  const std::regex variable(R"re(^(\w+)=(\S+)\s*$)re");
  const std::regex command(
      R"re(\$cc submit (\S+)\s+--key data/keys/([\w-]+)\.pem[^`|]*(?:`\s*\|\s*`([A-Z_]+)`)?)re");
  std::map<std::string, std::string> variables;
  std::vector<DocSubmission> out;
  bool inside = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("## ", 0) == 0) inside = line.rfind(heading, 0) == 0;
    if (!inside) continue;
    std::smatch m;
    if (std::regex_match(line, m, variable)) variables["$" + m[1].str()] = m[2].str();
    if (!std::regex_search(line, m, command)) continue;
    std::string file = m[1].str();
    if (const auto slash = file.find('/'); file[0] == '$' && slash != std::string::npos) {
      const auto value = variables.find(file.substr(0, slash));
      EXPECT_NE(value, variables.end()) << heading << " uses " << file << " before setting it";
      if (value != variables.end()) file = value->second + file.substr(slash);
    }
    out.push_back({file, m[2].str(), m[3].matched ? m[3].str() : ""});
  }
  return out;
}

std::vector<DocLine> doc_lines(const std::string& doc, const std::string& heading,
                               const std::vector<std::string>& starts) {
  std::istringstream lines(read_text(doc));
  std::vector<DocLine> out;
  bool inside = false;
  for (std::string line; std::getline(lines, line);) {
    if (line.rfind("## ", 0) == 0) inside = line.rfind(heading, 0) == 0;
    // A command continued over lines (`\` at the end) is one line.
    for (std::string next; !line.empty() && line.back() == '\\' && std::getline(lines, next);) {
      line.back() = ' ';
      line += next;
    }
    bool starts_well = false;
    for (const auto& start : starts) starts_well = starts_well || line.rfind(start, 0) == 0;
    if (!inside || !starts_well) continue;
    DocLine parsed;
    std::string word;
    bool quoted = false, in_word = false;
    for (size_t i = 0; i < line.size(); ++i) {
      const char c = line[i];
      if (c == '"') {
        quoted = !quoted;
        in_word = true;
      } else if (!quoted && c == '#' && !in_word) {
        const size_t text = line.find_first_not_of(" #", i);
        if (text != std::string::npos) parsed.comment = line.substr(text);
        break;
      } else if (!quoted && (c == ' ' || c == '\t')) {
        if (in_word) parsed.words.push_back(word);
        word.clear();
        in_word = false;
      } else {
        word += c;
        in_word = true;
      }
    }
    if (in_word) parsed.words.push_back(word);
    EXPECT_FALSE(quoted) << "an unclosed quote in " << doc << ": " << line;
    out.push_back(std::move(parsed));
  }
  return out;
}

std::vector<std::vector<std::string>> doc_commands(const std::string& doc,
                                                   const std::string& heading) {
  std::vector<std::vector<std::string>> out;
  for (auto& line : doc_lines(doc, heading, {"$cc "})) {
    line.words.erase(line.words.begin());
    out.push_back(std::move(line.words));
  }
  return out;
}

}  // namespace coopchain::testing
