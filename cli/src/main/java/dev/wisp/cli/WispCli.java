package dev.wisp.cli;

import dev.wisp.cli.folder.FolderException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code ./wisp action|activation|trigger|rule|package|namespace|property ...}: OpenWhisk's {@code wsk} verbs over
 * Wisp's REST API. Output is a table or {@code ok: ...} line for people and the API's JSON with {@code --json};
 * errors go to stderr as {@code error: ...} with the API's error text and request code. Exit codes: 0 done,
 * 1 refused by the API or the action failed, 2 a command line it cannot run, 3 the API host unreachable or not
 * configured.
 */
public final class WispCli {
    static final String HELP = """
            Wisp's command line, shaped like OpenWhisk's wsk. Every command takes --json (the API's JSON, for
            scripts), --apihost URL, -u/--auth UUID:KEY and --namespace NS (else ~/.wskprops, see property).
            """;

    private WispCli() {
    }

    public static void main(String[] argv) {
        System.exit(run(List.of(argv), System.out, System.err, System.getenv()));
    }

    static int run(List<String> argv, PrintStream out, PrintStream err, Map<String, String> env) {
        try {
            dispatch(argv, out, err, env);
            out.flush();
            return 0;
        } catch (CliException e) {
            out.flush();
            err.println("error: " + e.getMessage());
            return e.exitCode();
        } catch (FolderException e) {
            out.flush();
            err.println("error: " + e.getMessage());
            return e.badFolder() ? CliException.USAGE : CliException.FAILED;
        } catch (UncheckedIOException e) {
            out.flush();
            err.println("error: " + e.getMessage() + ": " + e.getCause().getMessage());
            return CliException.FAILED;
        }
    }

    private static void dispatch(List<String> argv, PrintStream out, PrintStream err, Map<String, String> env) {
        String group = argv.isEmpty() ? "help" : argv.get(0);
        String verb = argv.size() < 2 ? "help" : argv.get(1);
        List<String> rest = argv.size() < 2 ? List.of() : argv.subList(2, argv.size());
        String usage = usage(group);
        if (usage == null) {
            throw CliException.usage("unknown command '" + group + "'; see ./wisp help");
        }
        if (verb.equals("help") || verb.equals("--help") || verb.equals("-h") || rest.contains("--help")
                || rest.contains("-h")) {
            out.print(HELP);
            out.print(usage);
            return;
        }
        String command = group + " " + verb;
        switch (group) {
            case "action" -> ActionCommands.run(verb, context(command, rest, ActionCommands.FLAGS, out, err, env));
            case "activation" -> ActivationCommands.run(verb,
                    context(command, rest, ActivationCommands.FLAGS, out, err, env));
            case "trigger" -> TriggerCommands.run(verb, context(command, rest, TriggerCommands.FLAGS, out, err, env));
            case "rule" -> RuleCommands.run(verb, context(command, rest, RuleCommands.FLAGS, out, err, env));
            case "package" -> PackageCommands.run(verb, context(command, rest, PackageCommands.FLAGS, out, err, env));
            case "namespace" -> SettingsCommands.namespaces(verb, context(command, rest, List.of(), out, err, env));
            case "property" -> property(verb, rest, out, err, env);
            default -> throw new IllegalStateException(group);
        }
    }

    /** {@code property get|unset} take {@code --apihost} and friends without a value: pick them out first. */
    private static void property(String verb, List<String> rest, PrintStream out, PrintStream err,
                                 Map<String, String> env) {
        List<String> chosen = new ArrayList<>();
        List<String> remaining = new ArrayList<>(rest);
        if (!verb.equals("set")) {
            for (String flag : SettingsCommands.PROPERTY_FLAGS) {
                if (remaining.remove("--" + flag)) {
                    chosen.add(flag.equals("auth") ? "AUTH" : flag.toUpperCase());
                }
            }
            remaining.remove("--all");
        }
        SettingsCommands.property(verb, context("property " + verb, remaining, List.of(), out, err, env), chosen);
    }

    private static Context context(String command, List<String> tokens, List<Args.Flag> flags, PrintStream out,
                                   PrintStream err, Map<String, String> env) {
        return new Context(Args.parse(command, tokens, command.endsWith(" list") ? listFlags(flags) : flags), out,
                err, env);
    }

    /** As in wsk, {@code list} takes {@code -l} for {@code --limit} and {@code -s} for {@code --skip}. */
    private static List<Args.Flag> listFlags(List<Args.Flag> flags) {
        List<Args.Flag> list = new ArrayList<>(List.of(new Args.Flag("limit", "l", 1), new Args.Flag("skip", "s", 1)));
        for (Args.Flag f : flags) {
            if (!f.name().equals("limit") && !f.name().equals("skip")) {
                boolean taken = "l".equals(f.shortName()) || "s".equals(f.shortName());
                list.add(taken ? new Args.Flag(f.name(), null, f.arity()) : f);
            }
        }
        return list;
    }

    private static String usage(String group) {
        return switch (group) {
            case "action" -> ActionCommands.USAGE;
            case "activation" -> ActivationCommands.USAGE;
            case "trigger" -> TriggerCommands.USAGE;
            case "rule" -> RuleCommands.USAGE;
            case "package" -> PackageCommands.USAGE;
            case "namespace", "property" -> SettingsCommands.USAGE;
            default -> null;
        };
    }
}
