package dev.samsa.harness.fault;

import dev.samsa.impl.node.RandomStream;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Which fault families one seed runs, how often, and how aggressively. Drawn from the seed's
 * {@code faults} stream by the profile, so the same seed always gets the same plan (swarm
 * testing: each seed switches whole families on or off, which finds bugs a uniform mix hides).
 *
 * @param meanIntervalMs mean time between injections of each enabled family
 * @param targetedProbability chance that an injection aims at the workload's most interesting
 *     node (the active controller, a partition leader...) rather than a random one
 * @param tornWriteProbability chance that a power loss tears the last surviving write
 * @param unrestricted true when faults may exceed what the configuration promises to survive
 *     (safety-only run): e.g. wiping a KRaft voter's disk
 */
public record FaultPlan(
        String profile,
        EnumMap<FaultFamily, Long> meanIntervalMs,
        double targetedProbability,
        double tornWriteProbability,
        boolean unrestricted) {

    public FaultPlan {
        meanIntervalMs = new EnumMap<>(meanIntervalMs.isEmpty() ? new EnumMap<>(FaultFamily.class) : meanIntervalMs);
    }

    /** The profiles {@code --faults} accepts. */
    public enum Profile {
        NONE("no faults"),
        SWARM("each seed switches families on or off and draws their rates (default)"),
        KILL("process crashes only"),
        POWER("power losses only (unsynced writes lost, torn writes)"),
        PARTITION("network partitions only"),
        CLOG("clogged links only"),
        PAUSE("process pauses only"),
        UNRESTRICTED("swarm, with faults beyond what the configuration promises to survive (safety-only run)");

        private final String description;

        Profile(String description) {
            this.description = description;
        }

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        public String description() {
            return description;
        }

        public static Profile parse(String s) {
            for (Profile p : values()) {
                if (p.label().equals(s.trim().toLowerCase(Locale.ROOT))) {
                    return p;
                }
            }
            StringJoiner known = new StringJoiner(", ");
            for (Profile p : values()) {
                known.add(p.label());
            }
            throw new IllegalArgumentException("unknown fault profile '" + s + "'; known: " + known);
        }
    }

    private static final long[] INTERVALS_MS = {1_000, 3_000, 8_000};

    public static FaultPlan draw(Profile profile, RandomStream random) {
        EnumMap<FaultFamily, Long> on = new EnumMap<>(FaultFamily.class);
        double targeted = random.pick(0.0, 0.3, 0.7);
        double torn = random.pick(0.0, 0.5);
        switch (profile) {
            case NONE -> {}
            case KILL -> on.put(FaultFamily.KILL, pickInterval(random));
            case POWER -> on.put(FaultFamily.POWER_LOSS, pickInterval(random));
            case PARTITION -> on.put(FaultFamily.PARTITION, pickInterval(random));
            case CLOG -> on.put(FaultFamily.CLOG, pickInterval(random));
            case PAUSE -> on.put(FaultFamily.PAUSE, pickInterval(random));
            case SWARM, UNRESTRICTED -> {
                for (FaultFamily f : FaultFamily.values()) {
                    double p = f == FaultFamily.WIPE ? 0.25 : 0.5;
                    if (random.chance(p)) {
                        on.put(f, pickInterval(random));
                    }
                }
                if (on.isEmpty()) {
                    FaultFamily[] all = FaultFamily.values();
                    on.put(all[random.nextInt(all.length)], pickInterval(random));
                }
            }
        }
        return new FaultPlan(profile.label(), on, targeted, torn, profile == Profile.UNRESTRICTED);
    }

    private static long pickInterval(RandomStream random) {
        return INTERVALS_MS[random.nextInt(INTERVALS_MS.length)];
    }

    public boolean enabled(FaultFamily f) {
        return meanIntervalMs.containsKey(f);
    }

    /** {@code kill/3s partition/1s targeted=0.3}: a plan in one line. */
    public String describe() {
        if (meanIntervalMs.isEmpty()) {
            return "no faults";
        }
        StringJoiner j = new StringJoiner(" ");
        for (Map.Entry<FaultFamily, Long> e : meanIntervalMs.entrySet()) {
            j.add(e.getKey().label() + "/" + (e.getValue() / 1000) + "s");
        }
        j.add("targeted=" + targetedProbability);
        if (enabled(FaultFamily.POWER_LOSS)) {
            j.add("torn=" + tornWriteProbability);
        }
        if (unrestricted) {
            j.add("unrestricted");
        }
        return j.toString();
    }
}
