#pragma once

// Finds and loads the enrichment data files named by EnrichOptions or found in the data
// directories (see data_enricher.hpp for the search order and file names).

#include "enrich/asn_table.hpp"
#include "enrich/data_enricher.hpp"
#include "enrich/geoip.hpp"
#include "enrich/network_class.hpp"

namespace keyward::enrich {

struct LoadedData {
  GeoIpDatabase geo;
  AsnDatabase asn;
  NetworkClassifier network_classes;
};

// Loads the files it finds. Returns no error: files that cannot be read are listed in
// report.problems and left out.
LoadedData load_enrichment_data(const EnrichOptions& options, EnricherLoadReport& report);

}  // namespace keyward::enrich
