package dev.unidler.bench;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * How the unidler under test is started: always a JVM of its own, so that its heap, RSS,
 * threads and start-up are its own and not the load generator's.
 *
 * @param command the command line
 * @param directory its working directory
 * @param description how the report names it
 */
record Launcher(List<String> command, Path directory, String description) {

	static final String MAIN_CLASS = "dev.unidler.UnidlerApplication";

	/** {@code deploy/}'s memory limit for the unidler's container. */
	static final String CONTAINER_MEMORY = "512m";

	/** The {@code java} of this JVM (the unidler runs on the same JDK). */
	static Path java() {
		return Path.of(ProcessHandle.current().info().command().orElse("java"));
	}

	/**
	 * From a class path (the short form, inside the build): the main class, no JVM
	 * options. Test classes are left out, so that their configuration does not leak in.
	 * @param classpath the class path of the build
	 * @return the launcher
	 */
	static Launcher classpath(String classpath, Path directory) {
		String main = Arrays.stream(classpath.split(File.pathSeparator))
			.filter((entry) -> !entry.isBlank() && !entry.endsWith("test-classes"))
			.reduce((a, b) -> a + File.pathSeparator + b)
			.orElseThrow();
		return new Launcher(List.of(java().toString(), "-cp", main, MAIN_CLASS), directory,
				"java -cp <build class path> " + MAIN_CLASS);
	}

	/**
	 * From the packaged jar, started the way the container image starts it: the layers
	 * extracted and the AOT cache built by {@code scripts/image-jvm.sh prepare} in
	 * {@code work} once, then run with the image's exact JVM options, sized as
	 * {@code deploy/}'s memory limit (512 MiB) would size them.
	 * @param root the repository root
	 * @param jar the packaged jar
	 * @param work a directory the launcher may fill
	 * @return the launcher
	 */
	static Launcher image(Path root, Path jar, Path work) throws IOException, InterruptedException {
		Path script = root.resolve("scripts/image-jvm.sh");
		Path dir = work.resolve("image");
		run(List.of(script.toString(), "prepare", jar.toString(), dir.toString()), root);
		return new Launcher(List.of("env", "MAX_RAM=" + CONTAINER_MEMORY, script.toString(), "run", dir.toString()),
				root, "MAX_RAM=" + CONTAINER_MEMORY + " scripts/image-jvm.sh run (as the image's entry point)");
	}

	private static void run(List<String> command, Path directory) throws IOException, InterruptedException {
		Process process = new ProcessBuilder(new ArrayList<>(command)).directory(directory.toFile())
			.inheritIO()
			.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
			.start();
		if (!process.waitFor(5, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException(command + " did not finish within 5 minutes");
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException(command + " exited with " + process.exitValue());
		}
	}

}
