// A certified coffee journey from farm to an EU port, recorded through the real CLI against a
// real coopchaind, then a set of frauds: each refused with its rule code, leaving the chain as
// it was.
#include "cli_checks.h"
#include "event_json.h"

namespace coopchain::testing {
namespace {

std::string certificate(const std::string& id, const std::string& holder) {
  return certificate_json(id, holder, days_ago(300), days_ahead(300));
}

std::string harvest(const std::string& lot, const std::string& farm, uint64_t grams,
                    const std::string& at, const std::string& certs = "") {
  return harvest_json(lot, farm, grams, at, certs);
}

std::string input(const std::string& lot, uint64_t grams) {
  return lot_amount_json(lot, grams);
}

std::string exporting(const std::string& id, const std::string& lot, uint64_t grams,
                      const std::string& country, const std::string& claims) {
  return export_json(id, lot, grams, country, days_ago(5), claims);
}

const std::string kFarm = R"({"registerFarm": {"farmId": "F-001", "farmerRef": "member 0042",
  "plots": [{"plotId": "P-1", "areaM2": 20000, "crop": "COFFEE",
             "geometry": {"type": "Point", "coordinates": [-76.52, -6.48]}}]}})";
const std::string kFarmWithoutGeometry = R"({"registerFarm": {"farmId": "F-002",
  "plots": [{"plotId": "P-1", "areaM2": 10000, "crop": "COFFEE"}]}})";

class JourneyTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    net_ = new SingleNodeNetwork();
    record_journey();
  }
  static void TearDownTestSuite() {
    delete net_;
    net_ = nullptr;
  }

  static void accept(const std::string& json, const std::string& org) {
    CommandResult r = net_->submit(json, org);
    ASSERT_EQ(r.exit_code, 0) << json << "\nstdout: " << r.out << "\nstderr: " << r.err;
  }

  static void record_journey() {
    accept(kFarm, "coop-1");
    accept(certificate("PE-BIO-149-0001", "coop-1"), "cert-1");
    accept(certificate("PE-BIO-149-0002", "mill-1"), "cert-1");
    accept(certificate("PE-BIO-149-0003", "exp-1"), "cert-1");
    // F-001 is a member of coop-1's group certificate: proposed by coop-1, approved by cert-1.
    accept(member_json("PE-BIO-149-0001", "F-001", "PROPOSED", days_ago(30)), "coop-1");
    accept(member_json("PE-BIO-149-0001", "F-001", "APPROVED", days_ago(25)), "cert-1");
    accept(harvest("H-2026-001", "F-001", 1'200'000, days_ago(20), R"("PE-BIO-149-0001")"),
           "coop-1");
    accept(transfer_json("H-2026-001", "mill-1", 1'200'000, days_ago(19)), "coop-1");
    accept(processing_json("PA-001", input("H-2026-001", 1'200'000), "WET_MILL", "PARCHMENT",
                           260'000, days_ago(18), R"("EU_ORGANIC")"),
           "mill-1");
    accept(processing_json("GR-001", input("PA-001", 260'000), "DRY_MILL", "GREEN", 210'000,
                           days_ago(15), R"("EU_ORGANIC")"),
           "mill-1");
    accept(R"({"certifyLot": {"lotId": "GR-001", "certificateId": "PE-BIO-149-0002",
              "inspectedAt": ")" +
               days_ago(14) + R"(", "findings": "no residues"}})",
           "cert-1");
    accept(transfer_json("GR-001", "exp-1", 210'000, days_ago(10)), "mill-1");
    accept(exporting("EXP-77", "GR-001", 200'000, "DE", R"("EU_ORGANIC")"), "exp-1");
  }

  // Submits a fraud and checks that it is refused with `code` and that the head is unchanged.
  static void refuse(const std::string& json, const std::string& org, const std::string& code) {
    expect_refused(*net_, json, org, code);
  }

  // The message a CLI call printed with --output json; a failed call or bad JSON fails the test.
  template <typename Message>
  static Message parsed(const CommandResult& r) {
    return parsed_output<Message>(r);
  }

  static v1::Lot lot(const std::string& id) {
    return parsed<v1::Lot>(net_->cli({"lot", "show", id, "--output", "json"}));
  }

  static SingleNodeNetwork* net_;
};

SingleNodeNetwork* JourneyTest::net_ = nullptr;

TEST_F(JourneyTest, ExportedLotKeepsWhatWasNotShipped) {
  v1::Lot green = lot("GR-001");
  EXPECT_EQ(green.mass_g(), 10'000u);
  EXPECT_EQ(green.produced_g(), 210'000u);
  EXPECT_EQ(green.owner(), "exp-1");
  ASSERT_EQ(green.claims_size(), 1);
  EXPECT_EQ(green.claims(0).scheme(), v1::EU_ORGANIC);
  EXPECT_TRUE(green.claims(0).holds());
}

TEST_F(JourneyTest, TraceReachesTheHarvestAndThePlot) {
  auto trace =
      parsed<v1::TraceLotResponse>(net_->cli({"lot", "trace", "GR-001", "--output", "json"}));
  ASSERT_EQ(trace.lots_size(), 3);
  EXPECT_EQ(trace.lots(0).lot_id(), "GR-001");
  EXPECT_EQ(trace.lots(1).lot_id(), "PA-001");
  EXPECT_EQ(trace.lots(2).lot_id(), "H-2026-001");
  ASSERT_EQ(trace.plots_size(), 1);
  EXPECT_EQ(trace.plots(0).farm_id(), "F-001");
  EXPECT_EQ(trace.plots(0).cooperative(), "coop-1");
  EXPECT_EQ(trace.plots(0).geojson(), R"({"type": "Point", "coordinates": [-76.52, -6.48]})");
  CommandResult text = net_->cli({"lot", "trace", "GR-001"});
  EXPECT_EQ(text.exit_code, 0);
  EXPECT_NE(text.out.find("H-2026-001"), std::string::npos) << text.out;
}

// The geometry comes back as it was registered, for a MultiPolygon too.
TEST_F(JourneyTest, FarmShowGivesEachPlotsGeometryBack) {
  accept(R"({"registerFarm": {"farmId": "F-GEO", "farmerRef": "member 7", "plots": [
      {"plotId": "P-1", "areaM2": 7600, "crop": "COFFEE", "geometry": {"type": "MultiPolygon",
       "coordinates": [[[[-76.5, -6.4], [-76.5, -6.399], [-76.499, -6.399], [-76.5, -6.4]]],
                       [[[-76.4, -6.4], [-76.4, -6.3995], [-76.3995, -6.3995], [-76.4, -6.4]]]]}}]}})",
         "coop-1");
  auto farm = parsed<v1::Farm>(net_->cli({"farm", "show", "F-GEO", "--output", "json"}));
  EXPECT_EQ(farm.cooperative(), "coop-1");
  EXPECT_EQ(farm.farmer_ref(), "member 7");
  ASSERT_EQ(farm.plots_size(), 1);
  EXPECT_EQ(farm.plots(0).geometry_type(), "MultiPolygon");
  EXPECT_EQ(farm.plots(0).geojson(),
            R"({"type": "MultiPolygon", "coordinates": [[[[-76.5, -6.4], [-76.5, -6.399], )"
            R"([-76.499, -6.399], [-76.5, -6.4]]], [[[-76.4, -6.4], [-76.4, -6.3995], )"
            R"([-76.3995, -6.3995], [-76.4, -6.4]]]]})");
  CommandResult none = net_->cli({"farm", "show", "F-NONE"});
  EXPECT_EQ(none.exit_code, 1);
  EXPECT_NE(none.err.find("UNKNOWN_FARM"), std::string::npos) << none.err;
}

// A farm registered with a GPS Point is surveyed: updatePlot gives the plot its polygon, and
// farm show, lot show and lot trace give both back with the heights between which each held.
TEST_F(JourneyTest, APointCorrectedToAPolygonKeepsItsHistory) {
  accept(R"({"registerFarm": {"farmId": "F-FIX", "plots": [{"plotId": "P-1", "areaM2": 12000,
      "crop": "COFFEE", "geometry": {"type": "Point", "coordinates": [-76.3005, -6.2995]}}]}})",
         "coop-1");
  accept(harvest("H-FIX", "F-FIX", 100'000, days_ago(3)), "coop-1");
  const std::string survey = R"({"updatePlot": {"farmId": "F-FIX", "plotId": "P-1",
      "areaM2": 12232, "geometry": {"type": "Polygon", "coordinates": [[[-76.301, -6.3],
      [-76.3, -6.3], [-76.3, -6.299], [-76.301, -6.299], [-76.301, -6.3]]]}}})";
  refuse(survey, "mill-1", "ROLE_NOT_ALLOWED");
  accept(survey, "coop-1");

  auto farm = parsed<v1::Farm>(net_->cli({"farm", "show", "F-FIX", "--output", "json"}));
  ASSERT_EQ(farm.plots_size(), 1);
  const v1::TracePlot& plot = farm.plots(0);
  EXPECT_EQ(plot.geometry_type(), "Polygon");
  EXPECT_EQ(plot.area_m2(), 12'232u);
  ASSERT_EQ(plot.earlier_geometries_size(), 1);
  const v1::PlotRevision& before = plot.earlier_geometries(0);
  EXPECT_EQ(before.geojson(), R"({"type": "Point", "coordinates": [-76.3005, -6.2995]})");
  EXPECT_EQ(before.area_m2(), 12'000u);
  EXPECT_LT(before.from_height(), before.until_height());
  EXPECT_EQ(before.until_height(), plot.geometry_height());
  EXPECT_EQ(before.replaced_by_tx_id().size(), 64u);

  const v1::Lot harvested = lot("H-FIX");
  ASSERT_EQ(harvested.origin_plots_size(), 1);
  EXPECT_EQ(harvested.origin_plots(0).geometry_type(), "Polygon");
  EXPECT_EQ(harvested.origin_plots(0).earlier_geometries_size(), 1);
  CommandResult text = net_->cli({"farm", "show", "F-FIX"});
  EXPECT_NE(text.out.find("earlier, heights"), std::string::npos) << text.out;
  CommandResult trace = net_->cli({"lot", "trace", "H-FIX"});
  EXPECT_NE(trace.out.find("-76.3005, -6.2995"), std::string::npos) << trace.out;
}

TEST_F(JourneyTest, TraceStopsAtMaxLotsAndSaysSo) {
  auto trace = parsed<v1::TraceLotResponse>(
      net_->cli({"lot", "trace", "GR-001", "--max-lots", "2", "--output", "json"}));
  ASSERT_EQ(trace.lots_size(), 2);
  EXPECT_EQ(trace.lots(1).lot_id(), "PA-001");
  EXPECT_TRUE(trace.truncated());
  CommandResult bad = net_->cli({"lot", "trace", "GR-001", "--max-lots", "0"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_NE(bad.err.find("--max-lots"), std::string::npos) << bad.err;
}

TEST_F(JourneyTest, ChainHeadAndBlocksAreServed) {
  CommandResult head = net_->cli({"chain", "head", "--output", "json"});
  EXPECT_EQ(head.exit_code, 0) << head.err;
  CommandResult block = net_->cli({"block", "get", "1"});
  EXPECT_EQ(block.exit_code, 0) << block.err;
  CommandResult missing = net_->cli({"block", "get", "100000"});
  EXPECT_EQ(missing.exit_code, 1);
  CommandResult status = net_->cli({"status", "--output", "json"});
  EXPECT_EQ(status.exit_code, 0);
  EXPECT_NE(status.out.find("coop-1"), std::string::npos) << status.out;
}

TEST_F(JourneyTest, RefusesExportingMoreThanTheLotHolds) {
  refuse(exporting("EXP-78", "GR-001", 20'000, "DE", ""), "exp-1", "MASS_BALANCE_EXCEEDED");
}

TEST_F(JourneyTest, RefusesATransferBySomeoneWhoDoesNotOwnTheLot) {
  refuse(transfer_json("GR-001", "coop-1", 10'000, days_ago(1)), "mill-1", "NOT_OWNER");
}

TEST_F(JourneyTest, RefusesAHarvestBeyondThePlotsYield) {
  refuse(harvest("H-2026-002", "F-001", 40'000'000, days_ago(3)), "coop-1", "YIELD_IMPLAUSIBLE");
}

TEST_F(JourneyTest, RefusesAHarvestFromTheFuture) {
  refuse(harvest("H-2026-003", "F-001", 1'000, days_ahead(2)), "coop-1", "FUTURE_TIMESTAMP");
}

TEST_F(JourneyTest, RefusesReusingALotId) {
  refuse(harvest("H-2026-001", "F-001", 1'000, days_ago(2)), "coop-1", "LOT_EXISTS");
}

TEST_F(JourneyTest, RefusesCertificatesFromSomeoneWhoIsNotACertifier) {
  refuse(certificate("FAKE-1", "coop-1"), "coop-1", "ROLE_NOT_ALLOWED");
}

TEST_F(JourneyTest, RefusesAWetMillThatYieldsTooMuch) {
  accept(harvest("H-CONV-1", "F-001", 100'000, days_ago(9)), "coop-1");
  accept(transfer_json("H-CONV-1", "mill-1", 100'000, days_ago(8)), "coop-1");
  refuse(processing_json("PA-CONV-1", input("H-CONV-1", 100'000), "WET_MILL", "PARCHMENT", 40'000,
                         days_ago(7), ""),
         "mill-1", "CONVERSION_IMPLAUSIBLE");
}

TEST_F(JourneyTest, RefusesMixingConventionalCoffeeIntoAnOrganicLot) {
  accept(harvest("H-ORG-2", "F-001", 100'000, days_ago(9), R"("PE-BIO-149-0001")"), "coop-1");
  accept(harvest("H-CONV-2", "F-001", 100'000, days_ago(9)), "coop-1");
  accept(transfer_json("H-ORG-2", "mill-1", 100'000, days_ago(8)), "coop-1");
  accept(transfer_json("H-CONV-2", "mill-1", 100'000, days_ago(8)), "coop-1");
  refuse(processing_json("PA-MIX", input("H-ORG-2", 100'000) + "," + input("H-CONV-2", 100'000),
                         "BLEND", "PARCHMENT", 40'000, days_ago(7), R"("EU_ORGANIC")"),
         "mill-1", "ORGANIC_MIXING");
}

TEST_F(JourneyTest, RefusesAnOrganicExportUnderASuspendedCertificate) {
  accept(harvest("H-ORG-3", "F-001", 50'000, days_ago(6), R"("PE-BIO-149-0001")"), "coop-1");
  accept(transfer_json("H-ORG-3", "exp-1", 50'000, days_ago(6)), "coop-1");
  accept(R"({"changeCertificateStatus": {"certificateId": "PE-BIO-149-0003",
            "status": "SUSPENDED", "effectiveAt": ")" +
             days_ago(5) + R"(", "reason": "residue finding"}})",
         "cert-1");
  refuse(R"({"export": {"exportId": "EXP-90", "lots": [{"lotId": "H-ORG-3", "massG": 50000}],
            "destinationCountry": "US", "destinationPort": "USNYC", "buyer": "B",
            "hsCode": "090111", "shippedAt": ")" +
             days_ago(1) + R"(", "claims": ["EU_ORGANIC"]}})",
         "exp-1", "CERT_SUSPENDED");
}

TEST_F(JourneyTest, RefusesAnEuExportFromAPlotWithoutGeolocation) {
  accept(kFarmWithoutGeometry, "coop-1");
  accept(harvest("H-NOGEO", "F-002", 10'000, days_ago(4)), "coop-1");
  refuse(R"({"export": {"exportId": "EXP-91", "lots": [{"lotId": "H-NOGEO", "massG": 10000}],
            "destinationCountry": "NL", "destinationPort": "NLRTM", "buyer": "B",
            "hsCode": "090111", "shippedAt": ")" +
             days_ago(1) + R"(", "claims": []}})",
         "coop-1", "EUDR_GEOLOCATION_MISSING");
}

TEST_F(JourneyTest, ResubmittingACommittedEventIsIdempotent) {
  const std::string before = net_->head();
  CommandResult r = net_->submit(kFarm, "coop-1");
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(net_->head(), before);
}

}  // namespace
}  // namespace coopchain::testing
