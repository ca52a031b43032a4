package org.wgan.ui;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the page shows of one run, merged from the run folder ({@code run.json}, {@code history.csv}, the sample and
 * critic files) and the {@link LiveFeed}: {@link #refresh()} (on the dashboard's own thread) reads what changed, the
 * HTTP threads read the answers. The history is one row per step, in step order; when it goes back (a resumed run
 * rewrote {@code history.csv}, or the trainer restarted at an earlier step) the rows after that step are dropped and
 * the {@code epoch} grows, which tells the page to read the history again from the start.
 */
final class RunModel {

    /** The files served from a run folder: nothing else in it is ever read by a request. */
    static final Pattern SAMPLE_FILE = Pattern.compile("(samples|critic)-(\\d{6,12})(-ema)?\\.(png|csv)");
    /** Rows in one answer of {@code /api/history}: the page asks again from the last step until it has all. */
    static final int HISTORY_PAGE = 20_000;
    /** Rows over which the step time is a median. */
    static final int STEP_TIME_WINDOW = 50;
    /** A sample file unchanged for this long is complete. */
    static final long SETTLED_MILLIS = 1000;
    /** Without a listener, a run whose history.csv was written this recently is taken to be running. */
    static final long RECENT_MILLIS = 60_000;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path folder;
    private final LiveFeed feed;
    private final HistoryFile history;
    private final List<Row> rows = new ArrayList<>();
    private long liveCursor;
    private long liveStep = -1;
    private long epoch;
    private long version;
    private long samplesVersion;
    private List<String> samples = List.of();
    private Map<String, Long> growing = Map.of();
    private JsonNode settings;
    private String settingsError;
    private FileTime settingsTime;
    private long historyChangedMillis;
    private String lastState = "";

    RunModel(Path folder, LiveFeed feed) {
        this.folder = folder;
        this.feed = feed;
        this.history = new HistoryFile(folder.resolve("history.csv"));
    }

    /**
     * Reads what changed in the folder and the feed.
     *
     * @return whether anything the page shows changed
     */
    synchronized boolean refresh() throws IOException {
        boolean changed = readSettings();
        HistoryFile.Read read = history.read();
        if (read.restarted()) {
            rows.clear();
            epoch++;
            changed = true;
        }
        for (Row row : read.rows()) {
            // the file repeats steps the feed already gave: only later ones are new
            if (rows.isEmpty() || row.step() > last().step()) {
                rows.add(row);
                changed = true;
            }
        }
        historyChangedMillis = modifiedMillis(folder.resolve("history.csv"));
        long before = rows.size();
        liveCursor = feed.drain(liveCursor, this::addLive);
        changed |= rows.size() != before;
        changed |= readSamples();
        String state = state().toString();
        if (!state.equals(lastState)) {
            lastState = state;
            changed = true;
        }
        if (changed) {
            version++;
        }
        return changed;
    }

    private void addLive(Row row) {
        if (liveStep >= 0 && row.step() <= liveStep) {
            // the trainer went back (a restart from a checkpoint): what followed that step is to be trained again
            int keep = firstAfter(row.step() - 1);
            rows.subList(keep, rows.size()).clear();
            epoch++;
        }
        liveStep = row.step();
        // a step the file already gave (or a stale file, which its rewrite will replace) is not added twice
        if (rows.isEmpty() || row.step() > last().step()) {
            rows.add(row);
        }
    }

    private boolean readSettings() {
        Path file = folder.resolve("run.json");
        try {
            FileTime time = Files.getLastModifiedTime(file);
            if (time.equals(settingsTime)) {
                return false;
            }
            settingsTime = time;
            settings = JSON.readTree(file.toFile());
            settingsError = null;
        } catch (NoSuchFileException e) {
            boolean had = settingsTime != null || settingsError == null;
            settingsTime = null;
            settings = null;
            settingsError = "no run.json in " + folder;
            return had;
        } catch (IOException e) {
            settings = null;
            settingsError = "run.json is not readable: " + e.getMessage();
        }
        return true;
    }

    /**
     * Lists the sample and critic files. A new file appears once two refreshes found it at the same size, or once it
     * is {@link #SETTLED_MILLIS} old: the run writes its grids in place, and a page must not be sent half of one.
     */
    private boolean readSamples() throws IOException {
        List<String> names = new ArrayList<>();
        Map<String, Long> sizes = new HashMap<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!SAMPLE_FILE.matcher(name).matches()) {
                    continue;
                }
                if (samples.contains(name)) {
                    names.add(name);
                    continue;
                }
                long size;
                long age;
                try {
                    size = Files.size(entry);
                    age = System.currentTimeMillis() - Files.getLastModifiedTime(entry).toMillis();
                } catch (NoSuchFileException e) {
                    continue;
                }
                if (size > 0 && (age > SETTLED_MILLIS || Long.valueOf(size).equals(growing.get(name)))) {
                    names.add(name);
                } else {
                    sizes.put(name, size);
                }
            }
        }
        growing = sizes;
        names.sort(Comparator.comparingLong(RunModel::stepOf).thenComparing(Comparator.naturalOrder()));
        if (names.equals(samples)) {
            return false;
        }
        samples = List.copyOf(names);
        samplesVersion++;
        return true;
    }

    private static long modifiedMillis(Path file) {
        try {
            return Files.getLastModifiedTime(file).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    static long stepOf(String sampleName) {
        Matcher m = SAMPLE_FILE.matcher(sampleName);
        if (!m.matches()) {
            throw new IllegalArgumentException("not a sample file name: " + sampleName);
        }
        return Long.parseLong(m.group(2));
    }

    private Row last() {
        return rows.get(rows.size() - 1);
    }

    /** Index of the first row whose step is above {@code step}. */
    private int firstAfter(long step) {
        int low = 0;
        int high = rows.size();
        while (low < high) {
            int mid = (low + high) >>> 1;
            if (rows.get(mid).step() <= step) {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        return low;
    }

    /** Changes seen so far: grows whenever {@link #refresh()} finds something new. */
    synchronized long version() {
        return version;
    }

    /** {@code /api/state}: the latest step, step time, ETA when the step budget is known, and the status. */
    synchronized ObjectNode state() {
        ObjectNode state = JSON.createObjectNode();
        long step = rows.isEmpty() ? 0 : last().step();
        long total = feed.totalSteps() > 0 ? feed.totalSteps() : settings == null ? 0 : settings.path("steps")
                .asLong(0);
        state.put("step", step);
        if (total > 0) {
            state.put("totalSteps", total);
        } else {
            state.putNull("totalSteps");
        }
        double stepSeconds = stepSeconds();
        if (Double.isFinite(stepSeconds)) {
            state.put("stepSeconds", stepSeconds);
        } else {
            state.putNull("stepSeconds");
        }
        if (total > step && Double.isFinite(stepSeconds)) {
            state.put("etaSeconds", (total - step) * stepSeconds);
        } else {
            state.putNull("etaSeconds");
        }
        state.put("status", status(step, total));
        state.put("epoch", epoch);
        state.put("samplesVersion", samplesVersion);
        state.put("latestSample", samples.isEmpty() ? null : samples.get(samples.size() - 1));
        return state;
    }

    private String status(long step, long total) {
        if (feed.starts() > 0) {
            return feed.ended() ? "finished" : "running";
        }
        if (total > 0 && step >= total) {
            return "finished";
        }
        return step > 0 && System.currentTimeMillis() - historyChangedMillis < RECENT_MILLIS ? "running" : "idle";
    }

    private double stepSeconds() {
        int n = Math.min(rows.size(), STEP_TIME_WINDOW);
        if (n == 0) {
            return Double.NaN;
        }
        double[] seconds = new double[n];
        for (int i = 0; i < n; i++) {
            seconds[i] = rows.get(rows.size() - n + i).seconds();
        }
        Arrays.sort(seconds);
        return n % 2 == 1 ? seconds[n / 2] : (seconds[n / 2 - 1] + seconds[n / 2]) / 2;
    }

    /**
     * {@code /api/history}: the epoch and up to {@link #HISTORY_PAGE} rows after step {@code from}, each
     * {@code [step, criticLoss, generatorLoss, wassersteinEstimate, penalty, seconds]}, and whether more follow.
     */
    synchronized ObjectNode historyAfter(long from) {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("epoch", epoch);
        ArrayNode list = answer.putArray("rows");
        int start = firstAfter(from);
        int end = Math.min(rows.size(), start + HISTORY_PAGE);
        for (int i = start; i < end; i++) {
            Row r = rows.get(i);
            list.addArray().add(r.step()).add(r.criticLoss()).add(r.generatorLoss()).add(r.wassersteinEstimate())
                    .add(r.penalty()).add(r.seconds());
        }
        answer.put("more", end < rows.size());
        return answer;
    }

    /** {@code /api/samples}: the sample and critic files, by step, each with its step, kind and format. */
    synchronized ObjectNode samples() {
        ObjectNode answer = JSON.createObjectNode();
        answer.put("samplesVersion", samplesVersion);
        ArrayNode list = answer.putArray("files");
        for (String name : samples) {
            Matcher m = SAMPLE_FILE.matcher(name);
            if (m.matches()) {
                list.addObject().put("name", name).put("step", Long.parseLong(m.group(2))).put("kind", m.group(1))
                        .put("ema", m.group(3) != null).put("format", m.group(4));
            }
        }
        return answer;
    }

    /** {@code /api/run}: the folder's name, run.json as written, and the data set's fingerprint. */
    synchronized ObjectNode run(long pollMillis) {
        ObjectNode answer = JSON.createObjectNode();
        Path name = folder.getFileName();
        answer.put("folder", Objects.toString(name == null ? folder : name));
        answer.put("pollMillis", pollMillis);
        if (settings != null) {
            answer.set("settings", settings);
            JsonNode data = settings.get("data");
            answer.put("fingerprint", data == null || data.isNull() ? null : data.asText());
        } else {
            answer.putNull("settings");
            answer.putNull("fingerprint");
            answer.put("error", settingsError);
        }
        return answer;
    }
}
