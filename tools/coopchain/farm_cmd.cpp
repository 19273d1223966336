// coopchain farm show FARM_ID: a registered farm, its plots and their geometry as GeoJSON.
#include <iostream>

#include "client.h"
#include "output.h"
#include "plot_output.h"
#include "show.h"
#include "verbs.h"

namespace coopchain::cli {
namespace {

void print_farm(const v1::Farm& farm) {
  Fields()
      .add("farm", farm.farm_id())
      .add("cooperative", farm.cooperative())
      .add("farmer", farm.farmer_ref().empty() ? "-" : farm.farmer_ref())
      .add("country", farm.country())
      .add("registered", format_time(farm.registered_at()))
      .print(std::cout);
  std::cout << "plots:\n";
  for (const auto& p : farm.plots()) print_plot(std::cout, p, 2);
}

int run_farm_show(const Args& args) {
  NodeClient client(args.value("node"));
  v1::GetFarmRequest request;
  request.set_farm_id(args.operands[0]);
  v1::Farm response;
  auto context = make_context(kQueryDeadline);
  grpc::Status s = client.trace().GetFarm(context.get(), request, &response);
  return show(args, client, s, response, print_farm);
}

}  // namespace

std::vector<VerbSpec> farm_verbs() {
  return {{
      .words = {"farm", "show"},
      .brief = "a farm, its plots and their geometry (GeoJSON)",
      .operands = {"FARM_ID"},
      .summary =
          "Shows a registered farm: its cooperative, farmer reference and registration time,\n"
          "and each plot with its area, crop and geometry as GeoJSON (longitude first,\n"
          "coordinates exactly as the chain keeps them); for a plot whose geometry was\n"
          "updated (updatePlot), the height its geometry holds from and every earlier\n"
          "geometry with the heights it held between.",
      .flags = {node_flag(), output_flag()},
      .run = run_farm_show,
  }};
}

}  // namespace coopchain::cli
