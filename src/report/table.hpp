#pragma once

// Plain-text tables that fit a terminal of a given width (80 columns by default): columns are
// sized to their content, and the flexible ones are cut with "…" when the row would not fit.

#include <string>
#include <vector>

namespace keyward::report {

struct Column {
  std::string header;
  size_t min_width = 4;   // never narrower than this
  bool flexible = false;  // shrinks first when the table is too wide
};

class Table {
 public:
  explicit Table(std::vector<Column> columns);
  void add_row(std::vector<std::string> cells);
  // Renders with a header line, a rule, and one line per row; each line at most `width` columns.
  std::string render(size_t width = 80) const;
  bool empty() const { return rows_.empty(); }

 private:
  std::vector<Column> columns_;
  std::vector<std::vector<std::string>> rows_;
};

// Counts the terminal columns a UTF-8 string takes (one per code point).
size_t display_width(const std::string& text);

// Cuts `text` to at most `width` columns, ending with "…" when cut.
std::string truncate(const std::string& text, size_t width);

}  // namespace keyward::report
