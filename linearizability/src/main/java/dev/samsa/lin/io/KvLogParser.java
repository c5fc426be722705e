package dev.samsa.lin.io;

import dev.samsa.lin.Event;
import dev.samsa.lin.models.KvModel.Input;
import dev.samsa.lin.models.KvModel.Op;
import dev.samsa.lin.models.KvModel.Output;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads the kv histories of porcupine-data: one EDN map per line, invoke then ok per process. */
public final class KvLogParser {

    private static final Pattern LINE = Pattern.compile(
            "^\\{:process (\\d+), :type :(invoke|ok), :f :(get|put|append), :key \"([^\"]*)\", :value (nil|\"([^\"]*)\")\\}\\s*$");

    private KvLogParser() {}

    public static List<Event<?>> parse(Path file) throws HistoryFormatException {
        List<String> lines = Lines.read(file);
        List<Event<?>> events = new ArrayList<>();
        TreeMap<Integer, Integer> outstanding = new TreeMap<>();
        TreeMap<Integer, Input> outstandingIn = new TreeMap<>();
        int nextId = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.matches()) {
                throw new HistoryFormatException(file, i + 1, "not a kv operation ({:process P, :type :invoke|:ok, :f :get|:put|:append, :key \"K\", :value V}): " + line.trim());
            }
            int process = Integer.parseInt(m.group(1));
            Op op = Op.valueOf(m.group(3).toUpperCase(Locale.ROOT));
            String key = m.group(4);
            String value = m.group(6) == null ? "" : m.group(6);
            if (m.group(2).equals("invoke")) {
                if (outstanding.containsKey(process)) {
                    throw new HistoryFormatException(file, i + 1, "process " + process + " invokes while its previous call is still open");
                }
                if (op != Op.GET && m.group(6) == null) {
                    throw new HistoryFormatException(file, i + 1, "a " + m.group(3) + " needs a string value");
                }
                Input in = new Input(op, key, value);
                outstanding.put(process, nextId);
                outstandingIn.put(process, in);
                events.add(new Event<>(process, Event.Kind.CALL, in, nextId++));
            } else {
                Integer id = outstanding.remove(process);
                Input in = outstandingIn.remove(process);
                if (id == null || in.op() != op || !in.key().equals(key)) {
                    throw new HistoryFormatException(file, i + 1, "process " + process + " completes an operation it did not invoke");
                }
                events.add(new Event<>(process, Event.Kind.RETURN, Output.of(value), id));
            }
        }
        for (var e : outstanding.entrySet()) {
            events.add(new Event<>(e.getKey(), Event.Kind.RETURN, new Output("", true), e.getValue()));
        }
        return events;
    }
}
