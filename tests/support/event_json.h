// Events in their proto3 JSON form, for tests that submit or sign them: the coffee journey's
// steps with the fields most tests leave alone filled in (plot P-1, COFFEE, EU_ORGANIC, port
// DEHAM). Lists (`certs`, `inputs`, `claims`) are given as the JSON between the brackets.
#pragma once

#include <cstdint>
#include <string>

namespace coopchain::testing {

std::string certificate_json(const std::string& id, const std::string& holder,
                             const std::string& valid_from, const std::string& valid_until);
// A farm's standing under a group certificate (PROPOSED by its cooperative, APPROVED by the
// certifier, ...).
std::string member_json(const std::string& certificate, const std::string& farm,
                        const std::string& status, const std::string& effective_at);
std::string harvest_json(const std::string& lot, const std::string& farm, uint64_t grams,
                         const std::string& at, const std::string& certs = "");
std::string transfer_json(const std::string& lot, const std::string& to, uint64_t grams,
                          const std::string& at);
// One {"lotId", "massG"} item of a processing step's inputs or an export's lots.
std::string lot_amount_json(const std::string& lot, uint64_t grams);
std::string processing_json(const std::string& out, const std::string& inputs,
                            const std::string& step, const std::string& form, uint64_t grams,
                            const std::string& at, const std::string& claims);
std::string export_json(const std::string& id, const std::string& lot, uint64_t grams,
                        const std::string& country, const std::string& shipped_at,
                        const std::string& claims);

}  // namespace coopchain::testing
