#include "report/csv.hpp"

namespace keyward::report {

std::string csv_row(const std::vector<std::string>& fields) {
  std::string line;
  for (size_t i = 0; i < fields.size(); ++i) {
    if (i > 0) line += ',';
    std::string field = fields[i];
    if (!field.empty() && (field[0] == '=' || field[0] == '+' || field[0] == '-' || field[0] == '@')) {
      field.insert(field.begin(), '\'');
    }
    if (field.find_first_of(",\"\r\n") != std::string::npos) {
      std::string quoted = "\"";
      for (char c : field) {
        if (c == '"') quoted += '"';
        quoted += c;
      }
      line += quoted + "\"";
    } else {
      line += field;
    }
  }
  return line + "\n";
}

}  // namespace keyward::report
