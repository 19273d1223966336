#include "event_json.h"

namespace coopchain::testing {

std::string certificate_json(const std::string& id, const std::string& holder,
                             const std::string& valid_from, const std::string& valid_until) {
  return R"({"issueCertificate": {"certificateId": ")" + id +
         R"(", "scheme": "EU_ORGANIC", "holder": ")" + holder +
         R"(", "crops": ["COFFEE"], "validFrom": ")" + valid_from + R"(", "validUntil": ")" +
         valid_until + R"("}})";
}

std::string member_json(const std::string& certificate, const std::string& farm,
                        const std::string& status, const std::string& effective_at) {
  return R"({"setCertificateMember": {"certificateId": ")" + certificate + R"(", "farmId": ")" +
         farm + R"(", "status": ")" + status + R"(", "effectiveAt": ")" + effective_at +
         R"(", "reason": "ICS list"}})";
}

std::string harvest_json(const std::string& lot, const std::string& farm, uint64_t grams,
                         const std::string& at, const std::string& certs) {
  return R"({"harvest": {"lotId": ")" + lot + R"(", "farmId": ")" + farm +
         R"(", "plotId": "P-1", "crop": "COFFEE", "form": "CHERRY", "massG": )" +
         std::to_string(grams) + R"(, "harvestedAt": ")" + at + R"(", "certificateIds": [)" +
         certs + "]}}";
}

std::string transfer_json(const std::string& lot, const std::string& to, uint64_t grams,
                          const std::string& at) {
  return R"({"transfer": {"lotId": ")" + lot + R"(", "toOrganization": ")" + to +
         R"(", "massG": )" + std::to_string(grams) + R"(, "transferredAt": ")" + at + R"("}})";
}

std::string lot_amount_json(const std::string& lot, uint64_t grams) {
  return R"({"lotId": ")" + lot + R"(", "massG": )" + std::to_string(grams) + "}";
}

std::string processing_json(const std::string& out, const std::string& inputs,
                            const std::string& step, const std::string& form, uint64_t grams,
                            const std::string& at, const std::string& claims) {
  return R"({"processing": {"outputLotId": ")" + out + R"(", "inputs": [)" + inputs +
         R"(], "step": ")" + step + R"(", "outputForm": ")" + form + R"(", "outputMassG": )" +
         std::to_string(grams) + R"(, "processedAt": ")" + at +
         R"(", "facility": "Central mill", "claims": [)" + claims + "]}}";
}

std::string export_json(const std::string& id, const std::string& lot, uint64_t grams,
                        const std::string& country, const std::string& shipped_at,
                        const std::string& claims) {
  return R"({"export": {"exportId": ")" + id + R"(", "lots": [)" + lot_amount_json(lot, grams) +
         R"(], "destinationCountry": ")" + country +
         R"(", "destinationPort": "DEHAM", "buyer": "Roastery GmbH", "hsCode": "090111", )"
         R"("shippedAt": ")" +
         shipped_at + R"(", "claims": [)" + claims + "]}}";
}

}  // namespace coopchain::testing
