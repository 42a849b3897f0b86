{
	"patcher": {
		"fileversion": 1,
		"appversion": {
			"major": 8,
			"minor": 6,
			"revision": 0,
			"architecture": "x64",
			"modernui": 1
		},
		"classnamespace": "box",
		"rect": [
			60.0,
			80.0,
			1300.0,
			800.0
		],
		"bglocked": 0,
		"openinpresentation": 1,
		"default_fontsize": 10.0,
		"default_fontface": 0,
		"default_fontname": "Arial Bold",
		"gridonopen": 1,
		"gridsize": [
			8.0,
			8.0
		],
		"gridsnaponopen": 1,
		"objectsnaponopen": 1,
		"statusbarvisible": 2,
		"toolbarvisible": 1,
		"description": "Live 12 MIDI Tool (Transformation): grooves the notes it is given in a MidiDrumiGen style",
		"digest": "MidiDrumiGen groove: a drummer's timing and dynamics for your notes",
		"tags": "drums groove humanize osc",
		"openrect": [
			0.0,
			0.0,
			152.0,
			147.0
		],
		"project": {
			"version": 1,
			"amxdtype": 1851880564
		},
		"boxes": [
			{
				"box": {
					"id": "obj-1",
					"maxclass": "newobj",
					"text": "js MidiDrumiGen.js groove",
					"numinlets": 1,
					"numoutlets": 6,
					"outlettype": [
						"",
						"",
						"",
						"",
						"",
						""
					],
					"patching_rect": [
						520,
						520,
						300,
						22
					],
					"saved_object_attributes": {
						"filename": "MidiDrumiGen.js",
						"parameter_enable": 0
					}
				}
			},
			{
				"box": {
					"id": "obj-2",
					"maxclass": "newobj",
					"text": "udpsend 127.0.0.1 7710",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						40,
						700,
						140,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-3",
					"maxclass": "newobj",
					"text": "udpreceive 7711 @defer 1",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						520,
						440,
						100,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-5",
					"maxclass": "newobj",
					"text": "prepend set",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						520,
						580,
						80,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-6",
					"maxclass": "comment",
					"text": "Press Refresh to connect to the daemon",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						520,
						610,
						400,
						20
					],
					"varname": "status",
					"presentation": 1,
					"presentation_rect": [
						1,
						129,
						150,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-8",
					"maxclass": "live.menu",
					"numinlets": 1,
					"numoutlets": 3,
					"outlettype": [
						"",
						"",
						"float"
					],
					"parameter_enable": 1,
					"patching_rect": [
						40,
						60,
						120,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						1,
						1,
						150,
						16
					],
					"varname": "style",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Style",
							"parameter_shortname": "Style",
							"parameter_type": 2,
							"parameter_enum": [
								"J Dilla",
								"Metro Boomin",
								"Questlove"
							],
							"parameter_mmax": 2,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								0
							]
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-9",
					"maxclass": "newobj",
					"text": "prepend style",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						40,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-13",
					"maxclass": "live.menu",
					"numinlets": 1,
					"numoutlets": 3,
					"outlettype": [
						"",
						"",
						"float"
					],
					"parameter_enable": 1,
					"patching_rect": [
						40,
						90,
						90,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						1,
						19,
						150,
						15
					],
					"varname": "pattern_type",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Pattern Type",
							"parameter_shortname": "Pattern Type",
							"parameter_type": 2,
							"parameter_enum": [
								"intro",
								"verse",
								"chorus",
								"bridge",
								"outro"
							],
							"parameter_mmax": 4,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								1
							]
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-14",
					"maxclass": "newobj",
					"text": "prepend ptype",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						300,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-15",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"parameter_enable": 1,
					"patching_rect": [
						300,
						40,
						70,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						1,
						109,
						74,
						18
					],
					"varname": "groove",
					"mode": 0,
					"text": "Groove",
					"texton": "Groove",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Groove",
							"parameter_shortname": "Groove",
							"parameter_type": 2,
							"parameter_enum": [
								"val1",
								"val2"
							],
							"parameter_mmax": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-16",
					"maxclass": "message",
					"text": "generate",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						300,
						140,
						60,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-22",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"parameter_enable": 1,
					"patching_rect": [
						540,
						40,
						60,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						77,
						109,
						74,
						18
					],
					"varname": "refresh",
					"mode": 0,
					"text": "Refresh",
					"texton": "Refresh",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Refresh",
							"parameter_shortname": "Refresh",
							"parameter_type": 2,
							"parameter_enum": [
								"val1",
								"val2"
							],
							"parameter_mmax": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-24",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"parameter_enable": 1,
					"patching_rect": [
						620,
						60,
						70,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						31,
						37,
						72,
						15
					],
					"varname": "seed",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Seed",
							"parameter_shortname": "Seed",
							"parameter_type": 0,
							"parameter_mmin": 0.0,
							"parameter_mmax": 16777215.0,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								0.0
							],
							"parameter_unitstyle": 0
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-25",
					"maxclass": "newobj",
					"text": "prepend seed",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						620,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-26",
					"maxclass": "live.toggle",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"parameter_enable": 1,
					"patching_rect": [
						700,
						60,
						15,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						106,
						37,
						15,
						15
					],
					"varname": "seed_lock",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Seed Lock",
							"parameter_shortname": "Seed Lock",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								0
							]
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-28",
					"maxclass": "newobj",
					"text": "prepend seedlock",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						700,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-33",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"parameter_enable": 1,
					"patching_rect": [
						900,
						60,
						44,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						31,
						55,
						40,
						15
					],
					"varname": "temperature",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Temperature",
							"parameter_shortname": "Temperature",
							"parameter_type": 0,
							"parameter_mmin": 0.1,
							"parameter_mmax": 2.0,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								0.9
							],
							"parameter_unitstyle": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-34",
					"maxclass": "newobj",
					"text": "prepend temperature",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						940,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-35",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"parameter_enable": 1,
					"patching_rect": [
						950,
						60,
						44,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						108,
						55,
						43,
						15
					],
					"varname": "top_p",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Top-p",
							"parameter_shortname": "Top-p",
							"parameter_type": 0,
							"parameter_mmin": 0.01,
							"parameter_mmax": 1.0,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								0.95
							],
							"parameter_unitstyle": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-36",
					"maxclass": "newobj",
					"text": "prepend topp",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1020,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-40",
					"maxclass": "live.toggle",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"parameter_enable": 1,
					"patching_rect": [
						1050,
						80,
						15,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						1,
						73,
						15,
						15
					],
					"varname": "humanize",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Humanize",
							"parameter_shortname": "Humanize",
							"parameter_type": 2,
							"parameter_enum": [
								"off",
								"on"
							],
							"parameter_mmax": 1,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								1
							]
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-42",
					"maxclass": "newobj",
					"text": "prepend humanize",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1180,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-50",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"parameter_enable": 1,
					"patching_rect": [
						40,
						420,
						60,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						31,
						91,
						40,
						15
					],
					"varname": "daemon_port",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Daemon Port",
							"parameter_shortname": "Daemon Port",
							"parameter_type": 0,
							"parameter_mmin": 1.0,
							"parameter_mmax": 65535.0,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								7710.0
							],
							"parameter_unitstyle": 0
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-51",
					"maxclass": "newobj",
					"text": "t i i",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"int",
						"int"
					],
					"patching_rect": [
						40,
						450,
						40,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-52",
					"maxclass": "message",
					"text": "port $1",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						40,
						480,
						56,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-53",
					"maxclass": "newobj",
					"text": "prepend daemonport",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						110,
						480,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-55",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"parameter_enable": 1,
					"patching_rect": [
						260,
						420,
						60,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						108,
						91,
						43,
						15
					],
					"varname": "reply_port",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Reply Port",
							"parameter_shortname": "Reply Port",
							"parameter_type": 0,
							"parameter_mmin": 1.0,
							"parameter_mmax": 65535.0,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								7711.0
							],
							"parameter_unitstyle": 0
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-56",
					"maxclass": "newobj",
					"text": "t i i i",
					"numinlets": 1,
					"numoutlets": 3,
					"outlettype": [
						"int",
						"int",
						"int"
					],
					"patching_rect": [
						260,
						450,
						60,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-57",
					"maxclass": "message",
					"text": "port $1",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						330,
						480,
						56,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-58",
					"maxclass": "newobj",
					"text": "prepend replyport",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						400,
						480,
						110,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-59",
					"maxclass": "newobj",
					"text": "live.thisdevice",
					"numinlets": 1,
					"numoutlets": 3,
					"outlettype": [
						"bang",
						"int",
						"int"
					],
					"patching_rect": [
						40,
						540,
						100,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-60",
					"maxclass": "newobj",
					"text": "t b b",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"bang",
						"bang"
					],
					"patching_rect": [
						40,
						570,
						60,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-61",
					"maxclass": "message",
					"text": "init",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						150,
						600,
						40,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-64",
					"maxclass": "newobj",
					"text": "t b b",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"bang",
						"bang"
					],
					"patching_rect": [
						260,
						540,
						40,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-65",
					"maxclass": "message",
					"text": "refresh",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						320,
						570,
						56,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-66",
					"maxclass": "newobj",
					"text": "int 7711",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						"int"
					],
					"patching_rect": [
						260,
						570,
						56,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-67",
					"maxclass": "newobj",
					"text": "t i i",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"int",
						"int"
					],
					"patching_rect": [
						260,
						600,
						40,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-68",
					"maxclass": "message",
					"text": "/mdg/ping $1",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						300,
						630,
						90,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-69",
					"maxclass": "message",
					"text": "/mdg/styles $1",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						200,
						660,
						90,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-70",
					"maxclass": "newobj",
					"text": "live.miditool.in",
					"numinlets": 1,
					"numoutlets": 3,
					"outlettype": [
						"",
						"",
						""
					],
					"patching_rect": [
						860,
						440,
						100,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-71",
					"maxclass": "newobj",
					"text": "live.miditool.out",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						860,
						600,
						100,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-72",
					"maxclass": "newobj",
					"text": "prepend clipnotes",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						860,
						480,
						110,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-73",
					"maxclass": "newobj",
					"text": "prepend context",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						980,
						480,
						100,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-74",
					"maxclass": "comment",
					"text": "OSC to the daemon (protocol v1). The message boxes below are what the device sends; tests/max_for_live/test_device_protocol.py sends the same ones to a real daemon.",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						40,
						740,
						600,
						34
					],
					"linecount": 2
				}
			},
			{
				"box": {
					"id": "obj-91",
					"maxclass": "comment",
					"text": "Seed",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1100,
						324,
						60,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						1,
						36,
						30,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-92",
					"maxclass": "comment",
					"text": "Lock",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1100,
						348,
						60,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						121,
						36,
						30,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-93",
					"maxclass": "comment",
					"text": "Temp",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1100,
						372,
						60,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						1,
						54,
						30,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-94",
					"maxclass": "comment",
					"text": "Top-p",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1100,
						396,
						60,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						74,
						54,
						34,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-95",
					"maxclass": "comment",
					"text": "Humanize",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1100,
						420,
						60,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						16,
						72,
						56,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-97",
					"maxclass": "comment",
					"text": "Port",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1100,
						468,
						60,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						1,
						90,
						30,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-98",
					"maxclass": "comment",
					"text": "Reply",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1100,
						492,
						60,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						74,
						90,
						34,
						18
					]
				}
			}
		],
		"lines": [
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-3",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-2",
						0
					],
					"source": [
						"obj-1",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-5",
						0
					],
					"source": [
						"obj-1",
						1
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-6",
						0
					],
					"source": [
						"obj-5",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-9",
						0
					],
					"source": [
						"obj-8",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-9",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-8",
						0
					],
					"source": [
						"obj-1",
						2
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-14",
						0
					],
					"source": [
						"obj-13",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-14",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-16",
						0
					],
					"source": [
						"obj-15",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-16",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-25",
						0
					],
					"source": [
						"obj-24",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-25",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-24",
						0
					],
					"source": [
						"obj-1",
						3
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-28",
						0
					],
					"source": [
						"obj-26",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-28",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-34",
						0
					],
					"source": [
						"obj-33",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-34",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-36",
						0
					],
					"source": [
						"obj-35",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-36",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-42",
						0
					],
					"source": [
						"obj-40",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-42",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-51",
						0
					],
					"source": [
						"obj-50",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-52",
						0
					],
					"source": [
						"obj-51",
						1
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-2",
						0
					],
					"source": [
						"obj-52",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-53",
						0
					],
					"source": [
						"obj-51",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-53",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-56",
						0
					],
					"source": [
						"obj-55",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-57",
						0
					],
					"source": [
						"obj-56",
						2
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-3",
						0
					],
					"source": [
						"obj-57",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-58",
						0
					],
					"source": [
						"obj-56",
						1
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-58",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-60",
						0
					],
					"source": [
						"obj-59",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-61",
						0
					],
					"source": [
						"obj-60",
						1
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-61",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-64",
						0
					],
					"source": [
						"obj-60",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-64",
						0
					],
					"source": [
						"obj-22",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-65",
						0
					],
					"source": [
						"obj-64",
						1
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-65",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-66",
						0
					],
					"source": [
						"obj-64",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-66",
						1
					],
					"source": [
						"obj-56",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-67",
						0
					],
					"source": [
						"obj-66",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-68",
						0
					],
					"source": [
						"obj-67",
						1
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-69",
						0
					],
					"source": [
						"obj-67",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-2",
						0
					],
					"source": [
						"obj-68",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-2",
						0
					],
					"source": [
						"obj-69",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-72",
						0
					],
					"source": [
						"obj-70",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-73",
						0
					],
					"source": [
						"obj-70",
						1
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-72",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-1",
						0
					],
					"source": [
						"obj-73",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-70",
						0
					],
					"source": [
						"obj-1",
						4
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-71",
						0
					],
					"source": [
						"obj-1",
						5
					]
				}
			}
		],
		"dependency_cache": [
			{
				"name": "MidiDrumiGen.js",
				"patcherrelativepath": ".",
				"type": "TEXT",
				"implicit": 1
			},
			{
				"name": "mdg_core.js",
				"patcherrelativepath": ".",
				"type": "TEXT",
				"implicit": 1
			},
			{
				"name": "mdg_clip.js",
				"patcherrelativepath": ".",
				"type": "TEXT",
				"implicit": 1
			},
			{
				"name": "mdg_song.js",
				"patcherrelativepath": ".",
				"type": "TEXT",
				"implicit": 1
			}
		],
		"autosave": 0
	}
}
