package dev.wisp.distribution;

import dev.wisp.common.config.Setting;
import dev.wisp.common.config.SettingDefinitions;
import dev.wisp.standalone.StandaloneSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The README's settings table, printed from the components' definitions: {@code ./wisp settings} prints it,
 * {@code ./wisp settings --write} puts it into README.md between its two markers, and a test fails when README.md
 * holds another.
 */
public final class SettingsTable {
    static final String BEGIN = "<!-- settings table: printed by ./wisp settings from the definitions -->";
    static final String END = "<!-- end of the settings table -->";

    private SettingsTable() {
    }

    /** Every component's definitions, in the README's order. */
    static List<SettingDefinitions> components() {
        return StandaloneSettings.everyComponent();
    }

    /** The table in Markdown, one block of rows per component. */
    public static String markdown() {
        StringBuilder out = new StringBuilder("| Setting | Default | Allowed | What it sets |\n|---|---|---|---|\n");
        for (SettingDefinitions component : components()) {
            out.append("| **").append(component.component()).append("** | | | |\n");
            for (Setting<?> s : component.settings()) {
                out.append("| `").append(s.key()).append("` | ").append(shown(s)).append(" | ")
                        .append(cell(s.allowed())).append(" | ").append(cell(s.doc())).append(" |\n");
            }
        }
        return out.toString();
    }

    private static String shown(Setting<?> s) {
        String d = s.shownDefault();
        return s.isRequired() || s.computed() || d.equals("unset") ? d : "`" + d + "`";
    }

    private static String cell(String text) {
        return text.replace("|", "\\|");
    }

    /** The README's text with the table between the markers replaced by {@code table}. */
    static String withTable(String readme, String table) {
        int[] at = markers(readme);
        return readme.substring(0, at[0]) + "\n" + table + readme.substring(at[1]);
    }

    /** The table the README holds between the markers. */
    static String tableIn(String readme) {
        int[] at = markers(readme);
        return readme.substring(at[0] + 1, at[1]);
    }

    /** Where the table starts (the end of the first marker) and ends (the start of the second). */
    private static int[] markers(String readme) {
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("README.md has no settings table markers: " + BEGIN + " ... " + END);
        }
        return new int[] {begin + BEGIN.length(), end};
    }

    /** Prints the table; with {@code --write [README.md]}, writes it into that file instead. */
    public static void main(String[] args) throws IOException {
        if (args.length > 0 && args[0].equals("--write")) {
            Path readme = Path.of(args.length > 1 ? args[1] : "README.md");
            String text = Files.readString(readme, StandardCharsets.UTF_8);
            Files.writeString(readme, withTable(text, markdown()), StandardCharsets.UTF_8);
            System.out.println("wrote the settings table into " + readme);
        } else {
            System.out.print(markdown());
        }
    }
}
