#include "storage/case_scan.hpp"

#include <algorithm>
#include <atomic>
#include <thread>

#include "casectl/model/text.hpp"
#include "storage/case_digest.hpp"
#include "storage/case_reader.hpp"
#include "storage/journal.hpp"
#include "storage/layout.hpp"

namespace casectl::storage {
namespace {

/// A stamp whose ctime is this close to the moment stamping began may share its clock tick with a change still
/// to come, which would then not show: such a summary is used once and not saved.
constexpr int64_t k_settle_ns = 2'000'000'000;

/// Bytes of summaries waiting to be saved before a scan saves them, so that memory stays small.
constexpr size_t k_save_every_bytes = 8 << 20;

/// Cases brought up to date between two chances to save.
constexpr size_t k_batch = 4096;

}  // namespace

int64_t stamping_begins() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool settled(const std::vector<std::optional<Stamp>>& stamps, int64_t began_ns) {
  return std::all_of(stamps.begin(), stamps.end(),
                     [&](const auto& s) { return !s || s->ctime_ns < began_ns - k_settle_ns; });
}

void forget_unsettled(RecordSources& sources, int64_t began_ns) {
  for (auto& folder : sources) {
    for (auto& source : folder) {
      if (!(source.stamp.ctime_ns < began_ns - k_settle_ns)) {
        source.stamp = Stamp{};  // equal to no file's stamp: read again when its folder next changes
      }
    }
  }
}

std::vector<std::optional<Stamp>> configuration_stamps(Disk& disk) {
  return {disk.stamp(layout::config_file), disk.stamp(layout::instruments_dir)};
}

std::vector<std::optional<Stamp>> history_stamps(Disk& disk, const std::string& id) {
  std::vector<std::optional<Stamp>> stamps{disk.stamp(layout::plan_file(id))};
  for (const auto kind : {layout::Record::contact, layout::Record::assessment, layout::Record::review,
                          layout::Record::referral}) {
    stamps.push_back(disk.stamp(layout::record_dir(id, kind)));
  }
  return stamps;
}

Case IndexedCase::face() {
  if (!m_row.face.holds()) {
    if (auto kept = m_scan->m_index->face(*m_id, m_row.face_stamp)) {
      m_row.face = std::move(*kept);
    }
  }
  if (!m_row.face.holds()) {
    read_consistently(m_scan->m_disk, m_scan->m_timeout, [&](Disk& disk) {
      m_scan->refresh_face(disk, *this);
      return 0;
    });
  }
  return decode_face(*m_row.face);
}

bool IndexedCase::open_at_end_of(Date day) {
  return day.days() >= m_row.status_since ? m_row.open : face().open_at_end_of(day);
}

CaseFile IndexedCase::facts() {
  CaseFile file{face(), {}, {}, {}, {}, {}, {}};  // first: reading the face sheet again starts the history over
  if (!m_history_current) {
    read_consistently(m_scan->m_disk, m_scan->m_timeout, [&](Disk& disk) {
      m_scan->refresh_history(disk, *this, true);
      return 0;
    });
  }
  decode_history(*m_row.history, file);
  return file;
}

std::unique_ptr<CaseScan> CaseScan::start(Disk& disk, const Config* config, const std::vector<std::string>& ids,
                                          std::chrono::milliseconds timeout, bool histories,
                                          const ProgressSink& progress) {
  if (!disk.index_file(layout::index_file)) {
    return nullptr;
  }
  std::unique_ptr<CaseScan> scan(new CaseScan(disk, config, timeout));
  scan->m_histories = histories;
  auto lock = disk.lock(LockKind::read_snapshot, timeout);
  if (!lock) {
    throw Error(ErrorKind::busy, "another casectl command has been committing a change for too long; try again");
  }
  std::vector<std::optional<Stamp>> config_stamps;
  try {
    if (read_journal(disk)) {
      return nullptr;  // the plain reading shows the repository as it was before the unfinished transaction
    }
    scan->m_started_ns = stamping_begins();
    config_stamps = configuration_stamps(disk);
  } catch (const IoError&) {
    return nullptr;
  }
  scan->m_save = scan->settled(config_stamps);
  {
    // Stamping face sheets needs only the IDs: a second thread starts on it while this one opens the index, makes
    // the cases and reads their rows, then helps it finish.
    scan->m_face_stamps.resize(ids.size());
    std::atomic<size_t> next{0};
    auto stamp_faces = [&] {
      for (size_t i; (i = next.fetch_add(1)) < ids.size();) {
        scan->take_face_stamp(disk, i, ids[i]);
      }
    };
    std::jthread stamper(stamp_faces);
    scan->m_index = IndexFile::open(disk, encode_stamps(config_stamps));
    if (!scan->m_index) {
      next = ids.size();  // the stamps are not wanted
      return nullptr;
    }
    scan->m_cases.resize(ids.size());
    for (size_t i = 0; i < ids.size(); ++i) {
      scan->m_cases[i].m_scan = scan.get();
      scan->m_cases[i].m_id = &ids[i];
    }
    scan->take_rows(ids, histories);
    stamp_faces();
  }

  // On both cores: stamping costs a system call per file, reading a changed case much more. In batches, each
  // saved before the next, so that a first scan of a large repository does not hold every summary at once.
  for (size_t begin = 0; begin < ids.size(); begin += k_batch) {
    const size_t end = std::min(ids.size(), begin + k_batch);
    std::atomic<size_t> next{begin};
    std::atomic<size_t> done{begin};
    auto work = [&](bool reporting) {  // progress is told on this thread only
      for (size_t i; (i = next.fetch_add(1)) < end;) {
        scan->bring_up_to_date(disk, i);
        const size_t so_far = done.fetch_add(1) + 1;
        if (reporting) {
          report_progress(progress, "reading cases", so_far, ids.size());
        }
      }
    };
    std::thread helper(work, false);
    work(true);
    helper.join();
    for (size_t i = begin; i < end; ++i) {
      const IndexRow& kept = scan->m_cases[i].m_row;
      scan->m_waiting_bytes += (scan->m_cases[i].m_face_changed ? kept.face->size() : 0) +
                               (scan->m_cases[i].m_history_changed ? kept.history->size() : 0);
    }
    if (scan->m_waiting_bytes > k_save_every_bytes) {
      scan->save(0, end, false);
    }
  }
  report_progress(progress, "reading cases", ids.size(), ids.size());
  return scan;
}

CaseScan::CaseScan(Disk& disk, const Config* config, std::chrono::milliseconds timeout)
    : m_disk(disk), m_config(config), m_timeout(timeout) {}

CaseScan::~CaseScan() = default;

void CaseScan::take_rows(const std::vector<std::string>& ids, bool histories) {
  auto gone = m_index->read_rows(ids, [&](size_t i) -> IndexRow& { return m_cases[i].m_row; }, histories);
  if (gone) {
    m_gone = std::move(*gone);
    return;
  }
  for (auto& c : m_cases) {  // a damaged file: every case is read from its files
    c.m_row = IndexRow{};
  }
}

void CaseScan::take_face_stamp(Disk& disk, size_t i, const std::string& id) {
  try {
    m_face_stamps[i] = disk.stamp(layout::face_sheet(id));
  } catch (...) {  // left to `bring_up_to_date`, which meets the error again and says so
  }
}

void CaseScan::refresh_face(Disk& disk, IndexedCase& c) {
  const std::vector<std::optional<Stamp>> stamp{disk.stamp(layout::face_sheet(c.id()))};
  c.m_face_settled = settled(stamp);
  const Case face = load_face(disk, c.id(), m_config);  // after the stamp: a later change shows next time
  const Date since = face.status_fixed_from();
  c.m_row = IndexRow{encode_stamps(stamp), face.open_at_end_of(since), since.days(),
                     fold_name(face.client.name), encode_face(face), {}, {}};
  c.m_history_current = false;
  c.m_face_changed = c.m_face_settled;
}

void CaseScan::bring_up_to_date(Disk& disk, size_t i) {
  IndexedCase& c = m_cases[i];
  try {
    const std::vector<std::optional<Stamp>> stamp{m_face_stamps[i] ? *m_face_stamps[i]
                                                                    : disk.stamp(layout::face_sheet(c.id()))};
    c.m_face_settled = settled(stamp);
    // An open case's face sheet comes with the rows; without it (its sum failed) it is read here, on this core.
    if (c.m_row.face_stamp != encode_stamps(stamp) || (m_histories && c.m_row.open && !c.m_row.face.holds())) {
      refresh_face(disk, c);
    }
    if (m_histories && c.m_row.open) {
      refresh_history(disk, c, false);  // on two threads: the index file is not theirs to ask
    }
    c.m_usable = true;
  } catch (const Error&) {
    c.m_usable = false;  // read again, and reported, by the plain reading
  } catch (...) {  // an IoError, or no memory left: the plain reading meets it again and says so
    c.m_usable = false;
  }
}

void CaseScan::refresh_history(Disk& disk, IndexedCase& c, bool may_ask_index) {
  std::vector<std::optional<Stamp>> stamps;
  try {
    stamps = history_stamps(disk, c.id());
  } catch (const IoError&) {  // a disk that cannot stamp (the view before an unfinished transaction)
    c.m_row.history = encode_history(load_file(disk, c.id(), m_config, c.face()), {});
    c.m_row.history_stamps.clear();
    c.m_history_current = true;
    return;
  }
  const std::string encoded = encode_stamps(stamps);
  if (c.m_row.history.holds() && c.m_row.history_stamps == encoded) {
    c.m_history_current = true;
    return;
  }
  if (!c.m_row.history.holds() && may_ask_index) {  // a closed case's history is not loaded with the rows
    if (auto history = m_index->history(c.id(), encoded)) {
      c.m_row.history_stamps = encoded;
      c.m_row.history = std::move(*history);
      c.m_history_current = true;
      return;
    }
  }
  RecordSources sources;
  const CaseFile file = read_history(disk, c, stamps, sources);
  forget_unsettled(sources, m_started_ns);
  c.m_row.history = encode_history(file, sources);
  c.m_row.history_stamps = encoded;
  c.m_history_current = true;
  c.m_history_changed = settled(stamps) && c.m_face_settled;
}

CaseFile CaseScan::read_history(Disk& disk, IndexedCase& c, const std::vector<std::optional<Stamp>>& stamps,
                                RecordSources& sources) {
  if (c.m_row.history.holds() && !c.m_row.history_stamps.empty()) {  // what changed since the summary, only
    try {
      CaseFile facts;
      decode_history(*c.m_row.history, facts);
      const RecordSources known = decode_sources(*c.m_row.history);
      if (const auto known_stamps = decode_stamps(c.m_row.history_stamps)) {
        const HistoryBefore before{facts, known, *known_stamps};
        return load_history(disk, c.id(), m_config, c.face(), stamps, &before, sources);
      }
    } catch (const DigestError&) {
    }
  }
  return load_history(disk, c.id(), m_config, c.face(), stamps, nullptr, sources);
}

IndexedCase* CaseScan::entry(size_t i) { return m_cases[i].m_usable ? &m_cases[i] : nullptr; }

void CaseScan::after_visit(size_t i) {
  IndexedCase& c = m_cases[i];
  if (c.m_history_changed) {
    m_waiting_bytes += c.m_row.history->size();
  } else if (!c.m_row.open || !m_histories) {  // read from the index for this visit only
    c.m_row.history.reset();
    c.m_history_current = false;
    if (!c.m_face_changed) {
      c.m_row.face.reset();
    }
  }
  if (m_waiting_bytes > k_save_every_bytes) {
    save(0, i + 1, false);
  }
}

void CaseScan::finish() { save(0, m_cases.size(), true); }

void CaseScan::save(size_t begin, size_t end, bool finishing) {
  if (!m_save) {
    return;
  }
  std::vector<IndexFile::Change> changes;
  for (size_t i = begin; i < end; ++i) {
    const IndexedCase& c = m_cases[i];
    if (c.m_usable && (c.m_face_changed || c.m_history_changed)) {
      changes.push_back({&c.id(), &c.m_row, c.m_face_changed, c.m_history_changed});
    }
  }
  if (!m_index->write(changes, finishing ? m_gone : std::vector<std::string>{})) {
    m_save = false;  // the index is busy or read-only: what was read stays in memory for this scan
    return;
  }
  for (size_t i = begin; i < end; ++i) {
    IndexedCase& c = m_cases[i];
    c.m_face_changed = c.m_history_changed = false;
    if (c.m_usable && !c.m_row.open) {  // saved: the index gives it back when a visit asks
      c.m_row.history.reset();
      c.m_history_current = false;
      c.m_row.face.reset();
    }
  }
  m_waiting_bytes = 0;
}

}  // namespace casectl::storage
