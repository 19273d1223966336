// eudr_package_bench: how long building an export's EUDR package takes (build_eudr_package, the
// work behind Trace.GetEudrPackage) for an export drawing on 1,000 farms with 50-vertex polygon
// plots through 10,000 harvest lots: ten harvests per farm, blended in ten lots of 1,000, then
// into one, which is shipped to Germany. The chain is built through the real rules over an
// in-memory state; the package is built five times and the figures printed.
// Usage: eudr_package_bench [--farms N] [--lots-per-farm N] [--out DIR]
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "bench_chain.h"
#include "coopchain/eudr/package.h"

int main(int argc, char** argv) {
  using namespace coopchain;
  using Clock = std::chrono::steady_clock;
  int farms = 1'000, lots_per_farm = 10;
  std::string out_dir;
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::strcmp(argv[i], "--farms") == 0) farms = std::stoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--lots-per-farm") == 0) lots_per_farm = std::stoi(argv[i + 1]);
    if (std::strcmp(argv[i], "--out") == 0) out_dir = argv[i + 1];
  }
  bench::BenchChain chain;
  const TimeMs now = bench::BenchChain::kNow;
  auto commit_block = [&](const std::vector<Event>& events) { chain.commit_block(events); };

  std::vector<Event> events;
  for (int f = 0; f < farms; ++f) {
    // 50-vertex polygons 0.0024° apart, 100 (1e-7°) short of touching.
    events.push_back(RegisterFarm{"F-" + std::to_string(f),
                                  "member " + std::to_string(f),
                                  {bench::polygon_plot(f, 40, 24'000, 50, 100)},
                                  ""});
  }
  commit_block(events);
  std::vector<LotAmount> harvests;
  events.clear();
  for (int f = 0; f < farms; ++f) {
    for (int k = 0; k < lots_per_farm; ++k) {
      const std::string lot = "H-" + std::to_string(f) + "-" + std::to_string(k);
      events.push_back(Harvest{lot,
                               "F-" + std::to_string(f),
                               "P-1",
                               Crop::kCoffee,
                               Form::kCherry,
                               20'000,
                               now - 86'400'000,
                               {}});
      harvests.push_back({lot, 20'000});
      if (events.size() == 1'000) {
        commit_block(events);
        events.clear();
      }
    }
  }
  if (!events.empty()) commit_block(events);
  events.clear();
  std::vector<LotAmount> blends;
  for (size_t start = 0; start < harvests.size(); start += 1'000) {
    std::vector<LotAmount> part(harvests.begin() + start,
                                harvests.begin() + std::min(harvests.size(), start + 1'000));
    const std::string id = "B-" + std::to_string(blends.size());
    events.push_back(Processing{id,
                                part,
                                ProcessingStep::kBlend,
                                Form::kCherry,
                                20'000 * part.size(),
                                "bench mill",
                                now - 3'600'000,
                                {},
                                {}});
    blends.push_back({id, 20'000 * part.size()});
  }
  commit_block(events);
  const uint64_t total = 20'000 * harvests.size();
  commit_block(
      {Processing{"B-ALL",
                  blends,
                  ProcessingStep::kBlend,
                  Form::kCherry,
                  total,
                  "bench mill",
                  now - 1'800'000,
                  {},
                  {}},
       Export{
           "E-1", {{"B-ALL", total}}, "DE", "DEHAM", "Roastery GmbH", "090111", now - 60'000, {}}});

  EudrPackageOptions options;
  options.chain_id = "bench-chain";
  options.head_height = chain.height();
  options.tx_height = [&](const Hash256& id) { return chain.height_of(id); };
  std::vector<double> seconds;
  Result<EudrPackage> package = Status::Internal("not built");
  for (int run = 0; run < 5; ++run) {
    const auto start = Clock::now();
    package = build_eudr_package(chain.state(), "E-1", options);
    seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count());
    if (!package.ok()) {
      std::fprintf(stderr, "%s\n", package.status().to_string().c_str());
      return 1;
    }
  }
  std::sort(seconds.begin(), seconds.end());
  std::printf("export E-1: %d farms (%d-vertex polygons), %zu harvest lots, %zu lots in all\n",
              farms, 50, harvests.size(), harvests.size() + blends.size() + 1);
  std::printf(
      "package: %zu plots, %zu producers, %zu commodities; geolocation %zu bytes, "
      "dds %zu bytes, evidence %zu bytes\n",
      package->plots, package->producers, package->commodities, package->geolocation_geojson.size(),
      package->dds_json.size(), package->evidence_json.size());
  std::printf("build_eudr_package: best %.3f s, median %.3f s, worst %.3f s (5 runs)\n",
              seconds.front(), seconds[2], seconds.back());
  if (!out_dir.empty()) {
    std::ofstream(out_dir + "/geolocation.geojson") << package->geolocation_geojson;
    std::ofstream(out_dir + "/dds.json") << package->dds_json;
    std::ofstream(out_dir + "/evidence.json") << package->evidence_json;
  }
  return 0;
}
