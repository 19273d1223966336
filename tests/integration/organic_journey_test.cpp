// The organic claims a certifier would sign, through the real CLI against a real coopchaind: a
// cooperative's group certificate with three member farms (one organic, one in conversion, one
// sanctioned mid-season), yield estimates, a mixed lot refused relabelling, a failed inspection
// whose claim loss reaches what is made of the lot afterwards, a reception with a weighbridge
// loss, and a wet mill with cascara as a by-product. Each refusal carries its code and leaves
// the chain as it was; the audit passes on the chain that results.
#include "cli_checks.h"
#include "event_json.h"

namespace coopchain::testing {
namespace {

std::string farm(const std::string& id) {
  return R"({"registerFarm": {"farmId": ")" + id + R"(", "farmerRef": "member", "plots": [
      {"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE",
       "geometry": {"type": "Point", "coordinates": [-76.52, -6.48]}}]}})";
}

std::string approve(const std::string& farm_id, const std::string& conversion_start) {
  return R"({"setCertificateMember": {"certificateId": "ORG-G", "farmId": ")" + farm_id +
         R"(", "status": "APPROVED", "conversionStart": ")" + conversion_start +
         R"(", "effectiveAt": ")" + days_ago(40) + R"("}})";
}

std::string estimate(const std::string& event, const std::string& farm_id, uint64_t grams,
                     const std::string& season) {
  return R"({")" + event + R"(": {"certificateId": "ORG-G", "farmId": ")" + farm_id +
         R"(", "season": )" + season + R"(, "form": "CHERRY", "massG": )" + std::to_string(grams) +
         "}}";
}

class OrganicJourneyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    net_ = new SingleNodeNetwork();
    record();
  }
  static void TearDownTestSuite() {
    delete net_;
    net_ = nullptr;
  }

  static void accept(const std::string& json, const std::string& org) {
    CommandResult r = net_->submit(json, org);
    ASSERT_EQ(r.exit_code, 0) << json << "\nstdout: " << r.out << "\nstderr: " << r.err;
  }

  static void refuse(const std::string& json, const std::string& org, const std::string& code) {
    expect_refused(*net_, json, org, code);
  }

  static void record() {
    const std::string season = days_ago(20).substr(0, 4);
    for (const char* id : {"F-101", "F-102", "F-103"}) accept(farm(id), "coop-1");
    accept(certificate_json("ORG-G", "coop-1", days_ago(300), days_ahead(300)), "cert-1");
    accept(certificate_json("ORG-MILL", "mill-1", days_ago(300), days_ahead(300)), "cert-1");
    // The ICS lists three farms; the certifier approves them: F-102 converted only last year.
    for (const char* id : {"F-101", "F-102", "F-103"}) {
      accept(member_json("ORG-G", id, "PROPOSED", days_ago(45)), "coop-1");
    }
    accept(approve("F-101", "2021-03-01T00:00:00Z"), "cert-1");
    accept(approve("F-102", days_ago(400)), "cert-1");
    accept(approve("F-103", "2021-03-01T00:00:00Z"), "cert-1");
    // F-101's season: estimated at 1,500 kg of cherry, approved at 1,000 kg.
    accept(estimate("setYieldEstimate", "F-101", 1'500'000, season), "coop-1");
    accept(estimate("approveYieldEstimate", "F-101", 1'000'000, season), "cert-1");

    accept(harvest_json("H-101", "F-101", 800'000, days_ago(20), R"("ORG-G")"), "coop-1");
    refuse(harvest_json("H-101B", "F-101", 300'000, days_ago(19), R"("ORG-G")"), "coop-1",
           "YIELD_ESTIMATE_EXCEEDED");
    refuse(harvest_json("H-102", "F-102", 300'000, days_ago(20), R"("ORG-G")"), "coop-1",
           "FARM_IN_CONVERSION");
    accept(harvest_json("H-102", "F-102", 300'000, days_ago(20)), "coop-1");  // conventional
    accept(harvest_json("H-103", "F-103", 400'000, days_ago(20), R"("ORG-G")"), "coop-1");
    accept(member_json("ORG-G", "F-103", "SANCTIONED", days_ago(15)), "coop-1");
    refuse(harvest_json("H-103B", "F-103", 100'000, days_ago(12), R"("ORG-G")"), "coop-1",
           "FARM_SANCTIONED");

    // Organic and conventional blended make a conventional lot, and no inspection relabels it.
    accept(processing_json(
               "B-1", lot_amount_json("H-101", 200'000) + "," + lot_amount_json("H-102", 300'000),
               "BLEND", "CHERRY", 500'000, days_ago(11), ""),
           "coop-1");
    refuse(R"({"certifyLot": {"lotId": "B-1", "certificateId": "ORG-G", "inspectedAt": ")" +
               days_ago(10) + R"(", "findings": "looks organic"}})",
           "cert-1", "CLAIM_NOT_SUPPORTED");

    // H-103 fails its residue test: it loses the organic claim, and so does what is made of it.
    accept(R"({"certifyLot": {"lotId": "H-103", "certificateId": "ORG-G", "inspectedAt": ")" +
               days_ago(10) + R"(", "outcome": "FAIL", "findings": "sample 2 of 3",
               "nonconformities": [{"code": "RESIDUE_DETECTED", "text": "chlorpyrifos"}]}})",
           "cert-1");
    refuse(processing_json("PA-103", lot_amount_json("H-103", 400'000), "WET_MILL", "PARCHMENT",
                           90'000, days_ago(9), R"("EU_ORGANIC")"),
           "coop-1", "ORGANIC_MIXING");

    // The rest of H-101 goes to the mill, which weighs 6 kg less in, and wet-mills it into
    // organic parchment with cascara besides.
    accept(transfer_json("H-101", "mill-1", 600'000, days_ago(9)), "coop-1");
    refuse(R"({"receiveLot": {"lotId": "H-101", "massG": 604000, "receivedAt": ")" + days_ago(8) +
               R"("}})",
           "mill-1", "RECEPTION_MISMATCH");
    accept(R"({"receiveLot": {"lotId": "H-101", "massG": 594000, "receivedAt": ")" + days_ago(8) +
               R"(", "reason": "wet sacks at the weighbridge",
               "quality": {"moisturePerMille": 610}}})",
           "mill-1");
    std::string wet_mill = processing_json("PA-101", lot_amount_json("H-101", 594'000), "WET_MILL",
                                           "PARCHMENT", 130'000, days_ago(7), R"("EU_ORGANIC")");
    wet_mill.insert(wet_mill.size() - 2,
                    R"(, "byProducts": [{"lotId": "CA-101", "form": "CASCARA", "massG": 95000}])");
    accept(wet_mill, "mill-1");
  }

  template <typename Message>
  static Message parsed(const CommandResult& r) {
    return parsed_output<Message>(r);
  }

  static v1::Lot lot(const std::string& id) {
    return parsed<v1::Lot>(net_->cli({"lot", "show", id, "--output", "json"}));
  }

  static SingleNodeNetwork* net_;
};

SingleNodeNetwork* OrganicJourneyTest::net_ = nullptr;

TEST_F(OrganicJourneyTest, TheTraceShowsEachStandingLossAndByProduct) {
  auto trace =
      parsed<v1::TraceLotResponse>(net_->cli({"lot", "trace", "PA-101", "--output", "json"}));
  ASSERT_EQ(trace.lots_size(), 2);
  const v1::Lot& parchment = trace.lots(0);
  ASSERT_EQ(parchment.claims_size(), 1);
  EXPECT_EQ(parchment.claims(0).scheme(), v1::EU_ORGANIC);
  EXPECT_TRUE(parchment.claims(0).holds());
  const v1::Lot& cherry = trace.lots(1);
  EXPECT_EQ(cherry.lot_id(), "H-101");
  ASSERT_GE(cherry.history_size(), 1);
  ASSERT_EQ(cherry.history(0).member_standings_size(), 1);
  EXPECT_EQ(cherry.history(0).member_standings(0).status(), v1::APPROVED);
  bool weighed = false;
  for (const auto& e : cherry.history()) {
    if (e.kind() != "receiveLot") continue;
    weighed = true;
    EXPECT_EQ(e.mass_delta_g(), -6'000);
    EXPECT_EQ(e.findings(), "wet sacks at the weighbridge");
    EXPECT_EQ(e.quality().moisture_per_mille(), 610u);
  }
  EXPECT_TRUE(weighed) << "the reception is in the trace";

  const v1::Lot cascara = lot("CA-101");
  EXPECT_EQ(cascara.form(), v1::CASCARA);
  EXPECT_EQ(cascara.mass_g(), 95'000u);
  ASSERT_EQ(cascara.claims_size(), 1);
  CommandResult text = net_->cli({"lot", "trace", "PA-101"});
  EXPECT_NE(text.out.find("ORG-G: APPROVED member"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("a loss of 6000 g"), std::string::npos) << text.out;
}

TEST_F(OrganicJourneyTest, AFailedInspectionTookTheClaimAway) {
  const v1::Lot failed = lot("H-103");
  EXPECT_EQ(failed.claims_size(), 0);
  const v1::LotEvent& inspection = failed.history(failed.history_size() - 1);
  EXPECT_EQ(inspection.outcome(), v1::FAIL);
  EXPECT_TRUE(inspection.claim_removed());
  EXPECT_EQ(lot("B-1").claims_size(), 0) << "a blend with conventional coffee claims nothing";
}

TEST_F(OrganicJourneyTest, TheCertificateShowsItsMembersAndTheEstimate) {
  CommandResult text = net_->cli({"cert", "show", "ORG-G"});
  ASSERT_EQ(text.exit_code, 0) << text.err;
  EXPECT_NE(text.out.find("F-103  SANCTIONED"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("approved 1000000 g"), std::string::npos) << text.out;
}

TEST_F(OrganicJourneyTest, TheAuditPassesOnTheResultingChain) {
  CommandResult r = net_->cli({"audit", "--genesis", (net_->dir() / "genesis.json").string()});
  EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
}

}  // namespace
}  // namespace coopchain::testing
