#include "plot_output.h"

#include <string>

#include "output.h"

namespace coopchain::cli {

void print_plot(std::ostream& out, const v1::TracePlot& plot, int indent) {
  const std::string pad(static_cast<size_t>(indent), ' ');
  out << pad << plot.farm_id() << "/" << plot.plot_id() << "\n";
  Fields f(indent + 2);
  f.add("cooperative", plot.cooperative())
      .add("country", plot.country())
      .add("area", format_area(plot.area_m2()))
      .add("crop", v1::Crop_Name(plot.crop()))
      .add("species", plot.species())
      .add("geolocation", plot.geojson().empty() ? "none" : plot.geojson());
  if (plot.earlier_geometries_size() > 0) {
    f.add("since height", std::to_string(plot.geometry_height()));
  }
  f.print(out);
  for (const auto& a : plot.assessments()) {
    out << pad << "  assessed " << v1::DeforestationResult_Name(a.result()) << " by "
        << a.assessor() << " at " << format_time(a.assessed_at())
        << (a.of_current_geometry() ? "" : " (an earlier geometry)") << "\n";
    Fields(indent + 4)
        .add("method", a.method())
        .add_if("reference", a.reference())
        .add("tx", a.tx_id())
        .print(out);
  }
  for (const auto& r : plot.earlier_geometries()) {
    out << pad << "  earlier, heights " << r.from_height() << " to " << r.until_height()
        << " (replaced by tx " << r.replaced_by_tx_id() << "):\n";
    Fields(indent + 4)
        .add("area", format_area(r.area_m2()))
        .add("geolocation", r.geojson().empty() ? "none" : r.geojson())
        .print(out);
  }
}

}  // namespace coopchain::cli
