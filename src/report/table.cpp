#include "report/table.hpp"

#include <algorithm>
#include <numeric>

namespace keyward::report {

size_t display_width(const std::string& text) {
  size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;
  }
  return width;
}

std::string truncate(const std::string& text, size_t width) {
  if (display_width(text) <= width) return text;
  if (width == 0) return {};
  std::string out;
  size_t columns = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if ((c & 0xC0) != 0x80) {
      if (columns + 1 == width) break;
      ++columns;
    }
    out += text[i];
  }
  return out + "…";
}

Table::Table(std::vector<Column> columns) : columns_(std::move(columns)) {}

void Table::add_row(std::vector<std::string> cells) {
  cells.resize(columns_.size());
  for (auto& cell : cells) {
    // Control characters (newlines, escapes from attacker-chosen log fields) would break the
    // layout or the terminal: show them as spaces.
    for (auto& c : cell) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    }
  }
  rows_.push_back(std::move(cells));
}

std::string Table::render(size_t width) const {
  const size_t count = columns_.size();
  std::vector<size_t> widths(count);
  for (size_t i = 0; i < count; ++i) {
    widths[i] = std::max(display_width(columns_[i].header), columns_[i].min_width);
    for (const auto& row : rows_) widths[i] = std::max(widths[i], display_width(row[i]));
  }
  const size_t gaps = count > 0 ? (count - 1) * 2 : 0;
  auto total = [&] { return std::accumulate(widths.begin(), widths.end(), size_t{0}) + gaps; };
  // Shrink the widest flexible column one step at a time until the table fits.
  while (total() > width) {
    size_t widest = count;
    for (size_t i = 0; i < count; ++i) {
      if (columns_[i].flexible && widths[i] > columns_[i].min_width && (widest == count || widths[i] > widths[widest])) {
        widest = i;
      }
    }
    if (widest == count) break;
    --widths[widest];
  }

  auto render_line = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < count; ++i) {
      std::string cell = truncate(cells[i], widths[i]);
      line += cell;
      if (i + 1 < count) line += std::string(widths[i] - display_width(cell) + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    return line + "\n";
  };

  std::vector<std::string> headers;
  for (const auto& column : columns_) headers.push_back(column.header);
  std::string out = render_line(headers);
  std::vector<std::string> rule;
  for (size_t i = 0; i < count; ++i) rule.push_back(std::string(widths[i], '-'));
  out += render_line(rule);
  for (const auto& row : rows_) out += render_line(row);
  return out;
}

}  // namespace keyward::report
