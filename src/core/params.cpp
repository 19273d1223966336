#include "coopchain/core/params.h"

#include <set>
#include <utility>

#include "coopchain/core/country.h"
#include "coopchain/core/ed25519.h"
#include "coopchain/core/transaction.h"

namespace coopchain {
namespace {

// Twenty years: past any scheme's rules, and far from overflowing the calendar arithmetic.
constexpr uint32_t kMaxConversionMonths = 240;
// 1,000 t per hectare: far above any crop, and area × cap stays far below 2^64 for any plot.
constexpr uint64_t kMaxYieldCapGPerHa = 1'000'000'000;
constexpr int64_t kDayMs = int64_t{24} * 60 * 60 * 1000;
// A block travels in one peer message (64 MiB); half of it leaves room for its certificate.
constexpr uint64_t kMaxBlockBytesBound = 32 << 20;
constexpr uint32_t kMaxBlockTxsBound = 100'000;
// 1,000 km²: any plot larger than that is a region, not a farm.
constexpr uint64_t kMaxPolygonMinAreaM2 = 1'000'000'000;

bool known_form(Form f) {
  return f > Form::kUnspecified && f <= Form::kCocoaPulp;
}

bool known_scheme(Scheme s) {
  return s > Scheme::kUnspecified && s <= Scheme::kFourC;
}

template <typename T>
std::string between(std::string_view name, T value, T low, T high) {
  if (value >= low && value <= high) return {};
  return std::string(name) + " is " + std::to_string(value) + ", outside " + std::to_string(low) +
         "–" + std::to_string(high);
}

std::string check_caps(const std::vector<ConversionCap>& caps) {
  // A conversion without a cap is refused: with none, no processing step could run.
  if (caps.empty()) return "conversionCaps is empty: no form could be processed into another";
  std::set<std::pair<Form, Form>> seen;
  for (const auto& c : caps) {
    if (!known_form(c.from) || !known_form(c.to)) {
      return "conversionCaps names an unknown form";
    }
    const std::string pair = std::string(name_of(c.from)) + " → " + std::string(name_of(c.to));
    if (c.from == c.to) return "conversionCaps caps " + pair + ", which is always 1000";
    if (c.per_mille == 0 || c.per_mille > 1000) {
      return "conversionCaps gives " + pair + " " + std::to_string(c.per_mille) +
             " per mille, outside 1–1000";
    }
    if (!seen.emplace(c.from, c.to).second) return "conversionCaps names " + pair + " twice";
  }
  return {};
}

std::string check_periods(const std::vector<ConversionPeriod>& periods) {
  for (size_t i = 0; i < periods.size(); ++i) {
    const auto& p = periods[i];
    if (!known_scheme(p.scheme)) return "conversionPeriods names an unknown scheme";
    if (i > 0 && periods[i - 1].scheme >= p.scheme) {
      return "conversionPeriods names " + std::string(name_of(p.scheme)) + " twice or out of order";
    }
    if (p.months == 0 || p.months > kMaxConversionMonths) {
      return "the conversion period of " + std::string(name_of(p.scheme)) + " is " +
             std::to_string(p.months) + " months, outside 1–" +
             std::to_string(kMaxConversionMonths);
    }
  }
  return {};
}

std::string check_countries(const std::vector<std::string>& countries) {
  for (size_t i = 0; i < countries.size(); ++i) {
    if (!is_iso_country(countries[i])) {
      return "euCountries names \"" + countries[i] + "\", not an ISO 3166-1 alpha-2 code";
    }
    if (i > 0 && countries[i - 1] >= countries[i]) {
      return "euCountries names " + countries[i] + " twice or out of order";
    }
  }
  return {};
}

}  // namespace

RuleParams RuleParams::defaults() {
  RuleParams p;
  p.conversion_caps = {
      {Form::kCherry, Form::kParchment, 250},
      {Form::kParchment, Form::kGreen, 850},
      {Form::kCherry, Form::kGreen, 220},
      {Form::kWetBeans, Form::kDryBeans, 450},
      // By-products: dried cascara is about a sixth of the cherry, the pulp drained in
      // fermentation about a tenth of the wet beans, the shell about an eighth of dry beans.
      {Form::kCherry, Form::kCascara, 200},
      {Form::kWetBeans, Form::kCocoaPulp, 150},
      {Form::kDryBeans, Form::kCocoaShell, 150},
  };
  p.eu_countries = {"AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "ES",
                    "FI", "FR", "GR", "HR", "HU", "IE", "IT", "LT", "LU",
                    "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"};
  p.conversion_periods = {{Scheme::kEuOrganic, 36}, {Scheme::kUsdaOrganic, 36}};
  return p;
}

uint32_t RuleParams::conversion_months(Scheme scheme) const {
  for (const auto& c : conversion_periods) {
    if (c.scheme == scheme) return c.months;
  }
  return 0;
}

size_t RuleParams::approvals_needed(size_t governors) const {
  // More than threshold/1000 of them; at 1000, all of them.
  const size_t needed = governors * governance_threshold_per_mille / 1000 + 1;
  return needed < governors ? needed : governors;
}

RuleParams RuleParams::with(const SetParameters& c) const {
  RuleParams p = *this;
  auto set = [](auto& field, const auto& value) {
    if (value) field = *value;
  };
  set(p.coffee_yield_cap_g_per_ha, c.coffee_yield_cap_g_per_ha);
  set(p.cocoa_yield_cap_g_per_ha, c.cocoa_yield_cap_g_per_ha);
  set(p.conversion_caps, c.conversion_caps);
  set(p.future_skew_ms, c.future_skew_ms);
  set(p.lateness_ms, c.lateness_ms);
  set(p.eu_countries, c.eu_countries);
  set(p.eudr_polygon_min_area_m2, c.eudr_polygon_min_area_m2);
  set(p.max_block_txs, c.max_block_txs);
  set(p.max_block_bytes, c.max_block_bytes);
  set(p.default_country, c.default_country);
  set(p.eudr_require_assessment, c.eudr_require_assessment);
  set(p.conversion_periods, c.conversion_periods);
  set(p.reception_tolerance_bp, c.reception_tolerance_bp);
  set(p.governance_threshold_per_mille, c.governance_threshold_per_mille);
  return p;
}

std::string check_rule_params(const RuleParams& p) {
  for (std::string why : {
           between<uint64_t>("coffeeYieldCapGPerHa", p.coffee_yield_cap_g_per_ha, 1,
                             kMaxYieldCapGPerHa),
           between<uint64_t>("cocoaYieldCapGPerHa", p.cocoa_yield_cap_g_per_ha, 1,
                             kMaxYieldCapGPerHa),
           check_caps(p.conversion_caps),
           between<int64_t>("futureSkewMs", p.future_skew_ms, 1'000, kDayMs),
           between<int64_t>("latenessMs", p.lateness_ms, kDayMs, 20 * 366 * kDayMs),
           check_countries(p.eu_countries),
           between<uint64_t>("eudrPolygonMinAreaM2", p.eudr_polygon_min_area_m2, 0,
                             kMaxPolygonMinAreaM2),
           between<uint32_t>("maxBlockTxs", p.max_block_txs, 1, kMaxBlockTxsBound),
           // A block must have room for the largest transaction a node accepts, or such a
           // transaction would be admitted and then fit in no block.
           between<uint64_t>("maxBlockBytes", p.max_block_bytes, kMaxPayloadBytes + kSignatureSize,
                             kMaxBlockBytesBound),
           p.default_country.empty() || is_iso_country(p.default_country)
               ? std::string()
               : "defaultCountry \"" + p.default_country + "\" is not an ISO 3166-1 alpha-2 code",
           check_periods(p.conversion_periods),
           between<uint32_t>("receptionToleranceBp", p.reception_tolerance_bp, 0, 10'000),
           between<uint32_t>("governanceThresholdPerMille", p.governance_threshold_per_mille, 500,
                             1000),
       }) {
    if (!why.empty()) return why;
  }
  return {};
}

void encode_rule_params(Writer& w, const RuleParams& p) {
  w.u64(p.coffee_yield_cap_g_per_ha).u64(p.cocoa_yield_cap_g_per_ha);
  w.count(p.conversion_caps.size());
  for (const auto& c : p.conversion_caps) {
    w.u8(static_cast<uint8_t>(c.from)).u8(static_cast<uint8_t>(c.to)).u32(c.per_mille);
  }
  w.i64(p.future_skew_ms).i64(p.lateness_ms);
  w.count(p.eu_countries.size());
  for (const auto& c : p.eu_countries) w.bytes(c);
  w.u64(p.eudr_polygon_min_area_m2);
  w.u32(p.max_block_txs).u64(p.max_block_bytes);
  w.bytes(p.default_country);
  w.boolean(p.eudr_require_assessment);
  w.count(p.conversion_periods.size());
  for (const auto& c : p.conversion_periods) w.u8(static_cast<uint8_t>(c.scheme)).u32(c.months);
  w.u32(p.reception_tolerance_bp);
  w.u32(p.governance_threshold_per_mille);
}

std::optional<RuleParams> decode_rule_params(Reader& r) {
  RuleParams p;
  p.coffee_yield_cap_g_per_ha = r.u64();
  p.cocoa_yield_cap_g_per_ha = r.u64();
  for (size_t n = r.count(6); n > 0 && !r.failed(); --n) {
    ConversionCap c;
    c.from = static_cast<Form>(r.u8());
    c.to = static_cast<Form>(r.u8());
    c.per_mille = r.u32();
    p.conversion_caps.push_back(c);
  }
  p.future_skew_ms = r.i64();
  p.lateness_ms = r.i64();
  for (size_t n = r.count(); n > 0 && !r.failed(); --n) p.eu_countries.push_back(r.bytes());
  p.eudr_polygon_min_area_m2 = r.u64();
  p.max_block_txs = r.u32();
  p.max_block_bytes = r.u64();
  p.default_country = r.bytes();
  p.eudr_require_assessment = r.boolean();
  for (size_t n = r.count(5); n > 0 && !r.failed(); --n) {
    ConversionPeriod c;
    c.scheme = static_cast<Scheme>(r.u8());
    c.months = r.u32();
    p.conversion_periods.push_back(c);
  }
  p.reception_tolerance_bp = r.u32();
  p.governance_threshold_per_mille = r.u32();
  if (r.failed()) return std::nullopt;
  return p;
}

}  // namespace coopchain
