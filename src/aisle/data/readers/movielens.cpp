// MovieLens 100K and 1M. Each file is recognised by its name, else by its first line:
//   u.data, u1.base, ua.test, ...   user<TAB>item<TAB>rating<TAB>unix time      -> rating events
//   ratings.dat                     UserID::MovieID::Rating::Timestamp           -> rating events
//   u.item                          id|title|release date|video date|IMDb URL|19 genre flags
//   movies.dat                      MovieID::Title::Genres (Genres split by '|'; ISO-8859-1)
//   u.genre                         name|index (optional: the standard 19 names are built in)
// Ratings become "rating" events whose value is the rating. Genres become categories (the
// first one is the primary category). Text that is not valid UTF-8 is decoded as Latin-1.
#include <array>

#include "aisle/core/error.h"
#include "aisle/core/text.h"
#include "aisle/data/readers/row_builder.h"

namespace aisle {

namespace {

enum class MlFile { kRatingsTab, kRatingsColons, kItems, kMovies, kGenres };

std::string_view base_name(std::string_view path) {
  const std::size_t slash = path.find_last_of('/');
  std::string_view b = slash == std::string_view::npos ? path : path.substr(slash + 1);
  for (std::string_view ext : {".zst", ".gz"}) {
    if (b.ends_with(ext)) b.remove_suffix(ext.size());
  }
  return b;
}

MlFile classify(const std::string& path) {
  const std::string_view b = base_name(path);
  if (b == "u.data" || b.ends_with(".base") || b.ends_with(".test")) return MlFile::kRatingsTab;
  if (b == "ratings.dat") return MlFile::kRatingsColons;
  if (b == "u.item") return MlFile::kItems;
  if (b == "movies.dat") return MlFile::kMovies;
  if (b == "u.genre") return MlFile::kGenres;
  const std::string line = first_line(path);
  if (split(line, "::").size() == 4) return MlFile::kRatingsColons;
  if (split(line, "::").size() == 3) return MlFile::kMovies;
  if (split(line, "|").size() == 24) return MlFile::kItems;
  if (split(line, "\t").size() == 4) return MlFile::kRatingsTab;
  throw InputError(path +
                   ":1: not a MovieLens file: expected u.data (user<TAB>item<TAB>rating<TAB>time), "
                   "ratings.dat (UserID::MovieID::Rating::Timestamp), u.item (24 '|' fields), "
                   "movies.dat (MovieID::Title::Genres) or u.genre");
}

const std::array<std::string_view, 19> kDefaultGenres = {
    "unknown",     "Action", "Adventure", "Animation", "Children's", "Comedy",  "Crime",
    "Documentary", "Drama",  "Fantasy",   "Film-Noir", "Horror",     "Musical", "Mystery",
    "Romance",     "Sci-Fi", "Thriller",  "War",       "Western"};

void read_ratings(FileRows& rows, const ReadOptions& options, EventLog& log, ReadReport& report) {
  rows.prepare_for_events(log, 0, 1);
  EventRow row(log, report, options);
  const TypeWeight* rating = options.weighting.find("rating");
  if (rating == nullptr) throw ConfigError("MovieLens ratings need the event type 'rating' in the weights spec");
  const EventTypeIdx type = log.event_types.intern("rating");
  while (rows.next()) {
    row.begin(rows.where());
    if (rows.width() != 4) {
      row.reject("bad_field_count", "", "4 fields (user, item, rating, time)",
                 std::to_string(rows.width()) + " fields");
      continue;
    }
    Event& e = row.event();
    if (!row.user(rows.field(0), "user") || !row.item(rows.field(1), "item") ||
        !row.number(rows.field(2), "rating", e.value) ||
        !row.time(rows.field(3), "timestamp", TimeFormat::kUnixSeconds)) {
      continue;
    }
    if (!is_present(e.value)) {
      row.reject("bad_number", "rating", "a rating", rows.field(2));
      continue;
    }
    row.type_index(type);
    row.commit();
  }
}

void read_items(FileRows& rows, std::span<const std::string> genres, const ReadOptions& options, EventLog& log,
                ReadReport& report) {
  EventRow row(log, report, options);
  while (rows.next()) {
    row.begin(rows.where());
    if (rows.width() != 5 + genres.size()) {
      row.reject("bad_field_count", "", std::to_string(5 + genres.size()) + " '|' fields",
                 std::to_string(rows.width()) + " fields");
      continue;
    }
    if (!row.item(rows.field(0), "movie id")) continue;
    ItemInfo& info = log.catalog.item(row.item_index());
    info.name = utf8_or_latin1(trim(rows.field(1)));
    info.categories.clear();
    for (std::size_t g = 0; g < genres.size(); ++g) {
      if (trim(rows.field(5 + g)) == "1") info.categories.push_back(log.catalog.add_category(genres[g], genres[g]));
    }
    info.attributes.clear();
    if (!trim(rows.field(2)).empty()) info.attributes.emplace_back("release_date", trim(rows.field(2)));
    if (!trim(rows.field(4)).empty()) info.attributes.emplace_back("imdb_url", utf8_or_latin1(trim(rows.field(4))));
    ++report.rows_kept;
  }
}

void read_movies(FileRows& rows, const ReadOptions& options, EventLog& log, ReadReport& report) {
  EventRow row(log, report, options);
  while (rows.next()) {
    row.begin(rows.where());
    if (rows.width() != 3) {
      row.reject("bad_field_count", "", "3 fields (MovieID::Title::Genres)", std::to_string(rows.width()) + " fields");
      continue;
    }
    if (!row.item(rows.field(0), "MovieID")) continue;
    ItemInfo& info = log.catalog.item(row.item_index());
    info.name = utf8_or_latin1(trim(rows.field(1)));
    info.categories.clear();
    const std::string_view genres = trim(rows.field(2));
    if (!genres.empty()) {
      for (std::string_view g : split(genres, "|")) {
        const std::string name = utf8_or_latin1(trim(g));
        if (!name.empty()) info.categories.push_back(log.catalog.add_category(name, name));
      }
    }
    ++report.rows_kept;
  }
}

std::vector<std::string> read_genres(FileRows& rows, ReadReport& report) {
  std::vector<std::string> names;
  while (rows.next()) {
    if (rows.width() != 2) {
      report.issues.reject("bad_field_count", rows.where(), "", "2 fields (name|index)", std::to_string(rows.width()));
      continue;
    }
    const auto index = parse_int(trim(rows.field(1)));
    if (!index || *index < 0 || *index > 1000) {
      report.issues.reject("bad_number", rows.where(), "index", "a genre index", rows.field(1));
      continue;
    }
    if (names.size() <= static_cast<std::size_t>(*index)) names.resize(static_cast<std::size_t>(*index) + 1);
    names[static_cast<std::size_t>(*index)] = utf8_or_latin1(trim(rows.field(0)));
    ++report.rows_kept;
  }
  return names;
}

}  // namespace

void read_movielens(std::span<const std::string> files, const ReadOptions& options, EventLog& log, ReadReport& report) {
  std::vector<MlFile> kinds;
  for (const std::string& path : files) kinds.push_back(classify(path));
  std::vector<std::string> genres(kDefaultGenres.begin(), kDefaultGenres.end());
  // u.genre, when given, names the genre columns of u.item: read it first.
  for (std::size_t f = 0; f < files.size(); ++f) {
    if (kinds[f] != MlFile::kGenres) continue;
    FileRows rows(files[f], "|", options, report, /*quoted=*/false);
    genres = read_genres(rows, report);
  }
  for (std::size_t f = 0; f < files.size(); ++f) {
    const std::string& path = files[f];
    switch (kinds[f]) {
      case MlFile::kRatingsTab: {
        FileRows rows(path, "\t", options, report, /*quoted=*/false);
        read_ratings(rows, options, log, report);
        break;
      }
      case MlFile::kRatingsColons: {
        FileRows rows(path, "::", options, report, /*quoted=*/false);
        read_ratings(rows, options, log, report);
        break;
      }
      case MlFile::kItems: {
        FileRows rows(path, "|", options, report, /*quoted=*/false);
        read_items(rows, genres, options, log, report);
        break;
      }
      case MlFile::kMovies: {
        FileRows rows(path, "::", options, report, /*quoted=*/false);
        read_movies(rows, options, log, report);
        break;
      }
      case MlFile::kGenres:
        break;
    }
  }
}

}  // namespace aisle
