// The plot index finds exactly the plots whose boxes meet a box (checked against a full scan),
// forgets an unindexed plot, and reads only a few cells per search however many plots it holds.
#include "coopchain/state/plot_index.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <random>
#include <set>

namespace coopchain {
namespace {

// Counts the reads that reach it, so a test can say what a search costs.
class CountingReader final : public StateReader {
 public:
  explicit CountingReader(const StateReader& base) : base_(base) {}
  std::optional<std::string> get(std::string_view key) const override {
    ++reads;
    return base_.get(key);
  }
  bool has_transaction(const Hash256& id) const override { return base_.has_transaction(id); }
  mutable size_t reads = 0;

 private:
  const StateReader& base_;
};

// Plots of 50 to 600 m across in a 0.5° square of the Peruvian Amazon, a few much larger.
PlotBox random_box(std::mt19937_64& rng) {
  std::uniform_int_distribution<int64_t> lon(-770000000, -765000000), lat(-65000000, -60000000);
  std::uniform_int_distribution<int64_t> size(4'500, 55'000);
  std::uniform_int_distribution<int> huge(0, 99);
  const int64_t x = lon(rng), y = lat(rng);
  const int64_t w = size(rng) * (huge(rng) == 0 ? 40 : 1), h = size(rng);
  return {x, y, x + w, y + h};
}

std::set<std::string> ids(const std::vector<PlotRef>& plots) {
  std::set<std::string> out;
  for (const auto& p : plots) out.insert(p.farm_id + "/" + p.plot_id);
  return out;
}

TEST(PlotIndex, FindsExactlyThePlotsWhoseBoxesMeet) {
  MemoryState base;
  StateOverlay overlay(base);
  World world(overlay);
  std::mt19937_64 rng(20261201);
  std::vector<PlotRef> all;
  for (int i = 0; i < 3'000; ++i) {
    PlotRef plot{"F-" + std::to_string(i), "P-1", random_box(rng)};
    index_plot(world, plot);
    all.push_back(plot);
  }
  // Plots at the antimeridian, the poles and the origin reach the tree's edges.
  for (PlotBox box : {PlotBox{-1'800'000'000, -900'000'000, -1'799'990'000, -899'990'000},
                      PlotBox{1'799'990'000, 899'990'000, 1'800'000'000, 900'000'000},
                      PlotBox{-5'000, -5'000, 5'000, 5'000},
                      PlotBox{-1'800'000'000, -900'000'000, 1'800'000'000, 900'000'000}}) {
    PlotRef plot{"EDGE-" + std::to_string(all.size()), "P-1", box};
    index_plot(world, plot);
    all.push_back(plot);
  }
  for (int q = 0; q < 500; ++q) {
    const PlotBox box = q < 4 ? all[3'000 + q].box : random_box(rng);
    std::vector<PlotRef> expected;
    for (const auto& p : all) {
      if (p.box.intersects(box)) expected.push_back(p);
    }
    const std::vector<PlotRef> found = plots_near(world, box);
    EXPECT_EQ(found.size(), ids(found).size()) << "a plot was found twice";
    EXPECT_EQ(ids(found), ids(expected)) << "query " << q;
  }
}

TEST(PlotIndex, AnUnindexedPlotIsNoLongerFound) {
  MemoryState base;
  StateOverlay overlay(base);
  World world(overlay);
  const PlotRef a{"F-1", "P-1", {-765200000, -64800000, -765190000, -64790000}};
  const PlotRef b{"F-2", "P-1", {-765195000, -64795000, -765185000, -64785000}};
  index_plot(world, a);
  index_plot(world, b);
  EXPECT_EQ(ids(plots_near(world, a.box)), (std::set<std::string>{"F-1/P-1", "F-2/P-1"}));
  unindex_plot(world, a);
  EXPECT_EQ(ids(plots_near(world, a.box)), (std::set<std::string>{"F-2/P-1"}));
}

// What a search reads when the index holds `plots` plots packed side by side like farms.
size_t reads_per_search(int plots) {
  MemoryState base;
  StateOverlay overlay(base);
  World world(overlay);
  const int per_row = 300;
  const int64_t side = 20'000;  // about 220 m
  for (int i = 0; i < plots; ++i) {
    const int64_t x = -770000000 + (i % per_row) * side, y = -65000000 + (i / per_row) * side;
    index_plot(world, {"F-" + std::to_string(i), "P-1", {x, y, x + side - 1, y + side - 1}});
  }
  CountingReader counting(overlay);
  const WorldView view(counting);
  std::mt19937_64 rng(7);
  std::uniform_int_distribution<int> pick(0, plots - 1);
  size_t worst = 0;
  for (int q = 0; q < 200; ++q) {
    const int i = pick(rng);
    const int64_t x = -770000000 + (i % per_row) * side + side / 2;
    const int64_t y = -65000000 + (i / per_row) * side + side / 2;
    counting.reads = 0;
    const auto found = plots_near(view, {x, y, x + side - 1, y + side - 1});
    EXPECT_GE(found.size(), 1u);
    worst = std::max(worst, counting.reads);
  }
  return worst;
}

TEST(PlotIndex, ASearchReadsAboutTheSameAt100And100000Plots) {
  const size_t small = reads_per_search(100);
  const size_t large = reads_per_search(100'000);
  EXPECT_LE(large, 80u) << "a search read " << large << " cells with 100,000 plots";
  EXPECT_LE(large, small + 40) << small << " cells at 100 plots, " << large << " at 100,000";
}

}  // namespace
}  // namespace coopchain
