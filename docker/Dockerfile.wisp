# Wisp's Java components (gateway, controller, invoker) and the Kafka and ZooKeeper servers they use, in one
# image; the first argument names the component. Built by docker/build.sh, which puts a Java runtime (jlink of
# the build machine's JDK) and the jars in the build context, so no registry is needed. With a registry, any
# glibc Debian image works as the base: --build-arg BASE_IMAGE=debian:bookworm-slim
ARG BASE_IMAGE=wisp/base:bookworm
FROM ${BASE_IMAGE}
COPY jre /opt/java
COPY lib /opt/wisp/lib
COPY wisp-run /usr/local/bin/wisp-run
ENV PATH=/opt/java/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
ENTRYPOINT ["/usr/local/bin/wisp-run"]
CMD ["help"]
