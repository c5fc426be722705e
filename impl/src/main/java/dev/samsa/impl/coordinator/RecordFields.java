package dev.samsa.impl.coordinator;

import java.util.ArrayList;
import java.util.List;

/**
 * A compact, deterministic text encoding for the keys and values coordinators keep in their
 * internal topics (samsa's records are strings). Fields are joined by {@code |}; inside a field
 * {@code \} and {@code |} are escaped, and a null field is the two characters {@code \0}. A list
 * of fields is itself a field, so structures nest: {@code split(join(xs))} is {@code xs}.
 */
public final class RecordFields {

    private static final String NULL = "\\0";

    private RecordFields() {}

    public static String join(List<String> fields) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                b.append('|');
            }
            String f = fields.get(i);
            if (f == null) {
                b.append(NULL);
                continue;
            }
            for (int j = 0; j < f.length(); j++) {
                char c = f.charAt(j);
                if (c == '\\' || c == '|') {
                    b.append('\\');
                }
                b.append(c);
            }
        }
        return b.toString();
    }

    public static String join(String... fields) {
        return join(java.util.Arrays.asList(fields));
    }

    /** The fields of {@code s}; the empty string is one empty field (join of an empty list is read back as empty). */
    public static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder b = new StringBuilder();
        boolean isNull = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                if (n == '0') {
                    isNull = true;
                } else {
                    b.append(n);
                }
            } else if (c == '|') {
                out.add(isNull ? null : b.toString());
                b.setLength(0);
                isNull = false;
            } else {
                b.append(c);
            }
        }
        out.add(isNull ? null : b.toString());
        return out;
    }

    /** A list as one field; distinguishes the empty list from a list of one empty string. */
    public static String list(List<String> items) {
        List<String> withCount = new ArrayList<>(items.size() + 1);
        withCount.add(Integer.toString(items.size()));
        withCount.addAll(items);
        return join(withCount);
    }

    public static List<String> unlist(String field) {
        List<String> f = split(field);
        int n = Integer.parseInt(f.get(0));
        return new ArrayList<>(f.subList(1, 1 + n));
    }
}
