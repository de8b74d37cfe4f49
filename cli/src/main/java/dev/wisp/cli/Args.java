package dev.wisp.cli;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A command line after its verb, as {@code wsk} reads one: positional arguments, and flags with zero, one or two
 * values ({@code -p KEY VALUE}), long ({@code --memory 256}, {@code --memory=256}) or short ({@code -m 256}),
 * anywhere among the positionals; {@code --} ends the flags. A flag the command does not know is a usage error.
 */
final class Args {
    /** A flag: its long name (the key its values are found under), its short name or null, its value count. */
    record Flag(String name, String shortName, int arity) {
    }

    private final List<String> positionals = new ArrayList<>();
    private final Map<String, List<List<String>>> values = new LinkedHashMap<>();

    private Args() {
    }

    /** The flags every command takes. */
    static final List<Flag> COMMON = List.of(new Flag("json", null, 0), new Flag("apihost", null, 1),
            new Flag("auth", "u", 1), new Flag("namespace", null, 1), new Flag("insecure", "i", 0),
            new Flag("help", "h", 0));

    static Args parse(String command, List<String> tokens, List<Flag> flags) {
        Map<String, Flag> byName = new HashMap<>();
        for (Flag f : COMMON) {
            index(byName, f);
        }
        for (Flag f : flags) {
            index(byName, f);
        }
        Args args = new Args();
        boolean flagsEnded = false;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (flagsEnded || !token.startsWith("-") || token.equals("-") || isNumber(token)) {
                args.positionals.add(token);
                continue;
            }
            if (token.equals("--")) {
                flagsEnded = true;
                continue;
            }
            String key = token.startsWith("--") ? token.substring(2) : token.substring(1);
            String inline = null;
            int eq = key.indexOf('=');
            if (eq > 0) {
                inline = key.substring(eq + 1);
                key = key.substring(0, eq);
            }
            Flag flag = byName.get(token.startsWith("--") ? "--" + key : "-" + key);
            if (flag == null) {
                throw CliException.usage("unknown flag " + token + " for '" + command + "'; see ./wisp "
                        + command + " --help");
            }
            List<String> vals = new ArrayList<>();
            if (inline != null) {
                if (flag.arity() != 1) {
                    throw CliException.usage("the flag " + token.substring(0, token.indexOf('=')) + " takes "
                            + (flag.arity() == 0 ? "no value" : flag.arity() + " values") + ", not '=" + inline + "'");
                }
                vals.add(inline);
            } else {
                for (int k = 0; k < flag.arity(); k++) {
                    if (i + 1 >= tokens.size()) {
                        throw CliException.usage("the flag " + token + " needs " + flag.arity()
                                + (flag.arity() == 1 ? " value" : " values") + (flag.arity() == 2 ? " (KEY VALUE)" : ""));
                    }
                    vals.add(tokens.get(++i));
                }
            }
            args.values.computeIfAbsent(flag.name(), n -> new ArrayList<>()).add(vals);
        }
        return args;
    }

    private static void index(Map<String, Flag> byName, Flag f) {
        byName.put("--" + f.name(), f);
        if (f.shortName() != null) {
            byName.put("-" + f.shortName(), f);
        }
    }

    private static boolean isNumber(String token) {
        return token.length() > 1 && token.substring(1).chars().allMatch(c -> Character.isDigit(c) || c == '.');
    }

    List<String> positionals() {
        return positionals;
    }

    /** The positional at {@code index}, or a usage error naming {@code what}. */
    String positional(int index, String what) {
        if (index >= positionals.size()) {
            throw CliException.usage("missing " + what);
        }
        return positionals.get(index);
    }

    String optionalPositional(int index) {
        return index < positionals.size() ? positionals.get(index) : null;
    }

    /** Fails when more than {@code max} positionals were given. */
    void atMost(int max, String usage) {
        if (positionals.size() > max) {
            throw CliException.usage("unexpected argument '" + positionals.get(max) + "'; usage: " + usage);
        }
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    /** The last value of a one-value flag, or null. */
    String value(String name) {
        List<List<String>> all = values.get(name);
        return all == null ? null : all.get(all.size() - 1).get(0);
    }

    /** Every occurrence of a flag, each its list of values. */
    List<List<String>> all(String name) {
        return values.getOrDefault(name, List.of());
    }

    Integer intValue(String name) {
        String v = value(name);
        if (v == null) {
            return null;
        }
        try {
            return Integer.valueOf(v);
        } catch (NumberFormatException e) {
            throw CliException.usage("--" + name + " must be a whole number, not '" + v + "'");
        }
    }
}
