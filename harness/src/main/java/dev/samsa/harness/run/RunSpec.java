package dev.samsa.harness.run;

import dev.samsa.harness.fault.FaultPlan;
import dev.samsa.harness.fault.FaultSchedule;
import dev.samsa.spec.bugs.Bug;
import dev.samsa.spec.config.Settings;
import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeMap;

/**
 * Everything but the seed that decides a run: the workload, the settings the user fixed with
 * {@code --set} (the others are defaults or swarm draws), the bugs switched on and the fault
 * profile, or an explicit fault schedule that replaces the profile's draws ({@code --schedule}).
 * Same spec and seed ⇒ same run, bit for bit.
 */
public record RunSpec(String workload, Map<String, String> fixedSettings, Set<Bug> bugs, FaultPlan.Profile faults,
        Optional<FaultSchedule> schedule) {

    /** A spec whose faults are drawn from the profile. */
    public RunSpec(String workload, Map<String, String> fixedSettings, Set<Bug> bugs, FaultPlan.Profile faults) {
        this(workload, fixedSettings, bugs, faults, Optional.empty());
    }

    public RunSpec {
        fixedSettings = new TreeMap<>(fixedSettings);
        bugs = bugs.isEmpty() ? EnumSet.noneOf(Bug.class) : EnumSet.copyOf(bugs);
        Settings.defaults().withAll(fixedSettings); // validates keys and values early
    }

    /** The options that reproduce this spec on the command line, e.g. {@code --workload kraft --bug KAFKA-15489}. */
    public String cliOptions() {
        StringJoiner j = new StringJoiner(" ");
        j.add("--workload " + workload);
        if (faults != FaultPlan.Profile.SWARM) {
            j.add("--faults " + faults.label());
        }
        for (Map.Entry<String, String> e : fixedSettings.entrySet()) {
            j.add("--set " + e.getKey() + "=" + e.getValue());
        }
        for (Bug b : bugs) {
            j.add("--bug " + b.jira());
        }
        schedule.ifPresent(s -> j.add("--schedule " + s.source()));
        return j.toString();
    }

    /** The same spec with its faults from {@code newSchedule}. */
    public RunSpec withSchedule(FaultSchedule newSchedule) {
        return new RunSpec(workload, fixedSettings, bugs, faults, Optional.of(newSchedule));
    }

    /** The same spec with one more setting fixed (a shorter phase, say). */
    public RunSpec withSetting(String key, String value) {
        TreeMap<String, String> s = new TreeMap<>(fixedSettings);
        s.put(key, value);
        return new RunSpec(workload, s, bugs, faults, schedule);
    }
}
