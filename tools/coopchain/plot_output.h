// How `farm show`, `lot show` and `lot trace` print a plot: its area, crop, species, the GeoJSON
// of its current geometry with the height it holds from, and every earlier geometry.
#pragma once

#include <ostream>

#include "coopchain/v1/api.pb.h"

namespace coopchain::cli {

void print_plot(std::ostream& out, const v1::TracePlot& plot, int indent);

}  // namespace coopchain::cli
