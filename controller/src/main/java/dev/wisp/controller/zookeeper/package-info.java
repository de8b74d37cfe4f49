/**
 * The controller's ZooKeeper adapter: the only controller package, besides the composition roots that open the
 * session, that touches Curator. {@link dev.wisp.controller.zookeeper.Leadership} is a leader latch,
 * {@link dev.wisp.controller.zookeeper.Members} follows a group of announced members,
 * {@link dev.wisp.controller.zookeeper.FleetNodes}, {@link dev.wisp.controller.zookeeper.AlarmTicks} and
 * {@link dev.wisp.controller.zookeeper.Incarnations} read and write the nodes of the fleet view, the alarm
 * schedule and reaper adoption. The classes that use them keep their logic and stay free of Curator's types.
 */
package dev.wisp.controller.zookeeper;
