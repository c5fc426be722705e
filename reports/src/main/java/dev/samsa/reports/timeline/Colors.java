package dev.samsa.reports.timeline;

import java.util.List;

/** Colors of the timeline: fixed ones for outcomes and fault kinds, a stable palette for everything else. */
final class Colors {

    private Colors() {}

    private static final List<String> PALETTE = List.of("#4e79a7", "#f28e2b", "#59a14f", "#b07aa1", "#76b7b2", "#edc948", "#9c755f",
            "#ff9da7", "#17becf", "#8c564b");

    static String outcome(Timeline.Outcome o) {
        return switch (o) {
            case OK -> "#2da44e";
            case INFO -> "#d4a72c";
            case FAIL -> "#cf222e";
        };
    }

    /** Fault kinds by their schedule names; phases by name; anything else (a leader) from the palette. */
    static String of(String key) {
        return switch (key) {
            case "kill" -> "#6e7781";
            case "power-loss", "power-loss-torn" -> "#8250df";
            case "wipe" -> "#24292f";
            case "pause" -> "#0969da";
            case "partition" -> "#bc4c00";
            case "clog" -> "#9a6700";
            case "warm-up" -> "#ddf4ff";
            case "faults" -> "#ffebe9";
            case "heal" -> "#dafbe1";
            case "quiesce" -> "#eaeef2";
            case "none", "" -> "#afb8c1";
            default -> PALETTE.get(Math.floorMod(stableHash(key), PALETTE.size()));
        };
    }

    /** Phases are light backgrounds: their labels are drawn dark. */
    static boolean light(String key) {
        return key.equals("warm-up") || key.equals("faults") || key.equals("heal") || key.equals("quiesce");
    }

    // Written out (not String.hashCode) so the colors are part of this file's contract.
    private static int stableHash(String s) {
        int h = 17;
        for (int i = 0; i < s.length(); i++) {
            h = h * 31 + s.charAt(i);
        }
        return h;
    }
}
