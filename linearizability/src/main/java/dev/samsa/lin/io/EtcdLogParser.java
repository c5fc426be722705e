package dev.samsa.lin.io;

import dev.samsa.lin.Event;
import dev.samsa.lin.models.RegisterModel;
import dev.samsa.lin.models.RegisterModel.Input;
import dev.samsa.lin.models.RegisterModel.Op;
import dev.samsa.lin.models.RegisterModel.Output;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads Jepsen's etcd logs (porcupine-data/FORMAT.md): only {@code jepsen.util} lines count.
 * A {@code :info} completion, or a call never completed, leaves the outcome unknown: the call
 * gets an unknown return at the end of the history, so it may take effect anywhere after its call.
 */
public final class EtcdLogParser {

    private static final Pattern LINE = Pattern.compile("jepsen\\.util\\s+-\\s+(\\d+)\\s+:(invoke|ok|fail|info)\\s+:(read|write|cas)\\s+(.*?)\\s*$");
    private static final Pattern PAIR = Pattern.compile("\\[\\s*(\\d+)\\s+(\\d+)\\s*\\]");

    private EtcdLogParser() {}

    public static List<Event<?>> parse(Path file) throws HistoryFormatException {
        List<String> lines = Lines.read(file);
        List<Event<?>> events = new ArrayList<>();
        TreeMap<Integer, Integer> outstanding = new TreeMap<>(); // process -> call id
        TreeMap<Integer, Op> outstandingOp = new TreeMap<>();
        int nextId = 0;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (!line.contains("jepsen.util")) {
                continue;
            }
            Matcher m = LINE.matcher(line);
            if (!m.find()) {
                throw new HistoryFormatException(file, i + 1, "not a jepsen.util operation line: " + line.trim());
            }
            int process = Integer.parseInt(m.group(1));
            String type = m.group(2);
            Op op = Op.valueOf(m.group(3).toUpperCase(java.util.Locale.ROOT));
            String value = m.group(4);
            try {
                if (type.equals("invoke")) {
                    if (outstanding.containsKey(process)) {
                        throw new HistoryFormatException(file, i + 1, "process " + process + " invokes while its previous call is still open");
                    }
                    Input in = switch (op) {
                        case READ -> new Input(Op.READ, 0, 0);
                        case WRITE -> new Input(Op.WRITE, Long.parseLong(value), 0);
                        case CAS -> {
                            long[] p = pair(file, i, value);
                            yield new Input(Op.CAS, p[0], p[1]);
                        }
                    };
                    outstanding.put(process, nextId);
                    outstandingOp.put(process, op);
                    events.add(new Event<>(process, Event.Kind.CALL, in, nextId++));
                    continue;
                }
                Integer id = outstanding.get(process);
                if (id == null || outstandingOp.get(process) != op) {
                    throw new HistoryFormatException(file, i + 1, "process " + process + " completes a " + m.group(3) + " it did not invoke");
                }
                if (type.equals("info")) {
                    continue; // unknown outcome: stays open, closed as unknown at the end
                }
                Output out;
                if (type.equals("fail") && op == Op.READ) {
                    out = Output.UNKNOWN; // a timed-out read may have read anything
                } else if (op == Op.READ) {
                    out = new Output(true, value.equals("nil") ? RegisterModel.NIL : Long.parseLong(value), false);
                } else if (op == Op.WRITE) {
                    if (type.equals("fail")) {
                        throw new HistoryFormatException(file, i + 1, "a failed write is not part of this format");
                    }
                    out = new Output(true, RegisterModel.NIL, false);
                } else {
                    pair(file, i, value);
                    out = new Output(type.equals("ok"), RegisterModel.NIL, false);
                }
                outstanding.remove(process);
                outstandingOp.remove(process);
                events.add(new Event<>(process, Event.Kind.RETURN, out, id));
            } catch (NumberFormatException e) {
                throw new HistoryFormatException(file, i + 1, "bad number in '" + value + "'");
            }
        }
        for (var e : outstanding.entrySet()) {
            events.add(new Event<>(e.getKey(), Event.Kind.RETURN, Output.UNKNOWN, e.getValue()));
        }
        return events;
    }

    private static long[] pair(Path file, int i, String value) throws HistoryFormatException {
        Matcher p = PAIR.matcher(value);
        if (!p.matches()) {
            throw new HistoryFormatException(file, i + 1, "expected [FROM TO], got '" + value + "'");
        }
        return new long[] {Long.parseLong(p.group(1)), Long.parseLong(p.group(2))};
    }
}
