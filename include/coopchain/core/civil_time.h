// Calendar arithmetic on TimeMs in UTC, in integers only (Howard Hinnant's days-from-civil
// algorithms), so that rules such as the per-calendar-year yield cap stay deterministic.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "coopchain/core/domain.h"

namespace coopchain {

inline constexpr TimeMs kMsPerDay = 86'400'000;

int64_t days_from_civil(int64_t y, unsigned m, unsigned d);
// The UTC calendar year that contains t.
int64_t utc_year_of(TimeMs t);
// The same time of day `months` calendar months later; a day past the end of the target month
// becomes its last day (2024-02-29 + 12 months = 2025-02-28), as a certifier counts a conversion.
TimeMs add_utc_months(TimeMs t, uint32_t months);
// "2026-10-20T14:00:00Z", with ".123" milliseconds when they are not zero.
std::string format_rfc3339(TimeMs t);
// Accepts "YYYY-MM-DDThh:mm:ss[.fraction](Z|±hh:mm)"; fractions below a millisecond are cut.
std::optional<TimeMs> parse_rfc3339(std::string_view text);
// A signed duration in seconds with milliseconds: "+601.200 s", "-0.003 s".
std::string format_signed_seconds(int64_t ms);

}  // namespace coopchain
