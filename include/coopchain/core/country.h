// ISO 3166-1 alpha-2: the country codes a farm may be registered in (the EU's due diligence
// statement names each producer's country by these codes).
#pragma once

#include <string_view>

namespace coopchain {

// Whether `code` is one of the 249 officially assigned ISO 3166-1 alpha-2 codes ("PE", "CO").
// User-assigned and reserved codes ("XK", "EU", "UK") are not.
bool is_iso_country(std::string_view code);

}  // namespace coopchain
