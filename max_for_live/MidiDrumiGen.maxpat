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
		"description": "Generates drum patterns with the MidiDrumiGen daemon and writes them into clips; continues, grooves and varies your own clip on your Drum Rack's pads; writes a whole song at the Set's locators or into scenes",
		"digest": "MidiDrumiGen drum pattern generator",
		"tags": "drums generator osc",
		"project": {
			"version": 1,
			"amxdtype": 1835887981
		},
		"boxes": [
			{
				"box": {
					"id": "obj-1",
					"maxclass": "newobj",
					"text": "js MidiDrumiGen.js",
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
					"id": "obj-4",
					"maxclass": "comment",
					"text": "MidiDrumiGen",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						40,
						10,
						200,
						20
					],
					"fontface": 1,
					"fontsize": 12.0,
					"presentation": 1,
					"presentation_rect": [
						4,
						2,
						160,
						18
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
						4,
						148,
						600,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-7",
					"maxclass": "comment",
					"text": "Style",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						40,
						40,
						60,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						4,
						22,
						40,
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
						46,
						22,
						112,
						18
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
					"id": "obj-10",
					"maxclass": "comment",
					"text": "Bars",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						170,
						40,
						40,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						4,
						44,
						40,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-11",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"parameter_enable": 1,
					"patching_rect": [
						170,
						60,
						44,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						46,
						45,
						40,
						15
					],
					"varname": "bars",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Bars",
							"parameter_shortname": "Bars",
							"parameter_type": 1,
							"parameter_mmin": 1,
							"parameter_mmax": 32,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								4
							],
							"parameter_unitstyle": 0
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-12",
					"maxclass": "newobj",
					"text": "prepend bars",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						170,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-160",
					"maxclass": "comment",
					"text": "Variations",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						230,
						40,
						60,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						90,
						44,
						62,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-161",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"parameter_enable": 1,
					"patching_rect": [
						230,
						60,
						44,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						154,
						45,
						40,
						15
					],
					"varname": "variations",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Variations",
							"parameter_shortname": "Variations",
							"parameter_type": 1,
							"parameter_mmin": 1,
							"parameter_mmax": 8,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								1
							],
							"parameter_unitstyle": 0
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-162",
					"maxclass": "newobj",
					"text": "prepend variations",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						230,
						300,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-13",
					"maxclass": "live.tab",
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
						240,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						4,
						66,
						194,
						18
					],
					"varname": "pattern_type",
					"num_lines_patching": 1,
					"num_lines_presentation": 1,
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
						206,
						22,
						70,
						20
					],
					"varname": "generate",
					"mode": 0,
					"text": "Generate",
					"texton": "Generate",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Generate",
							"parameter_shortname": "Generate",
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
					"id": "obj-17",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"parameter_enable": 1,
					"patching_rect": [
						380,
						40,
						44,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						206,
						66,
						34,
						18
					],
					"varname": "play",
					"mode": 0,
					"text": "Play",
					"texton": "Play",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Play",
							"parameter_shortname": "Play",
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
					"id": "obj-18",
					"maxclass": "message",
					"text": "play",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						380,
						140,
						40,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-19",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"parameter_enable": 1,
					"patching_rect": [
						430,
						40,
						44,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						242,
						66,
						34,
						18
					],
					"varname": "stop",
					"mode": 0,
					"text": "Stop",
					"texton": "Stop",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Stop",
							"parameter_shortname": "Stop",
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
					"id": "obj-21",
					"maxclass": "message",
					"text": "stop",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						500,
						140,
						40,
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
						480,
						40,
						50,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						206,
						44,
						70,
						18
					],
					"varname": "again",
					"mode": 0,
					"text": "Again",
					"texton": "Again",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Again",
							"parameter_shortname": "Again",
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
					"id": "obj-23",
					"maxclass": "message",
					"text": "again",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						560,
						140,
						44,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-24",
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
						206,
						88,
						70,
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
					"id": "obj-25",
					"maxclass": "comment",
					"text": "Seed",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						620,
						40,
						40,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						284,
						22,
						34,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-26",
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
						318,
						23,
						66,
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
					"id": "obj-27",
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
					"id": "obj-28",
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
						388,
						23,
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
					"id": "obj-29",
					"maxclass": "comment",
					"text": "Lock",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						720,
						58,
						40,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						404,
						22,
						34,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-30",
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
					"id": "obj-31",
					"maxclass": "live.toggle",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"parameter_enable": 1,
					"patching_rect": [
						700,
						90,
						15,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						284,
						45,
						15,
						15
					],
					"varname": "loop",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Loop",
							"parameter_shortname": "Loop",
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
					"id": "obj-32",
					"maxclass": "comment",
					"text": "Loop play",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						720,
						88,
						60,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						300,
						44,
						60,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-33",
					"maxclass": "newobj",
					"text": "prepend loop",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						780,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-34",
					"maxclass": "live.toggle",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"parameter_enable": 1,
					"patching_rect": [
						700,
						120,
						15,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						284,
						67,
						15,
						15
					],
					"varname": "replace",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Replace",
							"parameter_shortname": "Replace",
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
					"id": "obj-35",
					"maxclass": "comment",
					"text": "Replace selected clip",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						720,
						118,
						120,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						300,
						66,
						120,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-36",
					"maxclass": "newobj",
					"text": "prepend replace",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						860,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-37",
					"maxclass": "comment",
					"text": "Advanced",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						900,
						40,
						80,
						18
					],
					"fontface": 1,
					"presentation": 1,
					"presentation_rect": [
						440,
						2,
						80,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-38",
					"maxclass": "live.dial",
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
						48
					],
					"presentation": 1,
					"presentation_rect": [
						440,
						20,
						44,
						48
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
					"id": "obj-39",
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
					"id": "obj-40",
					"maxclass": "live.dial",
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
						48
					],
					"presentation": 1,
					"presentation_rect": [
						488,
						20,
						44,
						48
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
					"id": "obj-41",
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
					"id": "obj-42",
					"maxclass": "comment",
					"text": "Top-k",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1000,
						60,
						40,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						536,
						18,
						36,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-43",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"parameter_enable": 1,
					"patching_rect": [
						1000,
						80,
						40,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						572,
						19,
						36,
						15
					],
					"varname": "top_k",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Top-k",
							"parameter_shortname": "Top-k",
							"parameter_type": 1,
							"parameter_mmin": 0,
							"parameter_mmax": 100,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								0
							],
							"parameter_unitstyle": 0
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-44",
					"maxclass": "newobj",
					"text": "prepend topk",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1100,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-45",
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
						536,
						37,
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
					"id": "obj-46",
					"maxclass": "comment",
					"text": "Humanize",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1070,
						78,
						60,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						552,
						36,
						56,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-47",
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
					"id": "obj-81",
					"maxclass": "live.toggle",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"parameter_enable": 1,
					"patching_rect": [
						1140,
						80,
						15,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						536,
						55,
						15,
						15
					],
					"varname": "fill",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Fill",
							"parameter_shortname": "Fill",
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
					"id": "obj-82",
					"maxclass": "comment",
					"text": "Fill",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1160,
						78,
						40,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						552,
						54,
						56,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-83",
					"maxclass": "newobj",
					"text": "prepend fill",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1180,
						360,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-48",
					"maxclass": "comment",
					"text": "Output",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						900,
						120,
						44,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						440,
						72,
						44,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-49",
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
						950,
						120,
						90,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						484,
						72,
						124,
						18
					],
					"varname": "output",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Output",
							"parameter_shortname": "Output",
							"parameter_type": 2,
							"parameter_enum": [
								"Clip",
								"Clip + File",
								"Live MIDI",
								"File",
								"Clip + MIDI"
							],
							"parameter_mmax": 4,
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
					"id": "obj-50",
					"maxclass": "newobj",
					"text": "prepend output",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1260,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-51",
					"maxclass": "comment",
					"text": "Tempo (0 = Live)",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						900,
						150,
						100,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						440,
						94,
						92,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-52",
					"maxclass": "live.numbox",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						"float"
					],
					"parameter_enable": 1,
					"patching_rect": [
						1010,
						150,
						50,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						536,
						95,
						50,
						15
					],
					"varname": "tempo",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Tempo",
							"parameter_shortname": "Tempo",
							"parameter_type": 0,
							"parameter_mmin": 0.0,
							"parameter_mmax": 200.0,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								0.0
							],
							"parameter_unitstyle": 1
						}
					}
				}
			},
			{
				"box": {
					"id": "obj-53",
					"maxclass": "newobj",
					"text": "prepend tempo",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1340,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-54",
					"maxclass": "comment",
					"text": "Signature (0, Live = follow Live)",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						900,
						180,
						150,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						284,
						88,
						140,
						18
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
						1060,
						180,
						30,
						15
					],
					"presentation": 1,
					"presentation_rect": [
						284,
						108,
						30,
						15
					],
					"varname": "numerator",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Numerator",
							"parameter_shortname": "Numerator",
							"parameter_type": 1,
							"parameter_mmin": 0,
							"parameter_mmax": 16,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								0
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
					"text": "prepend numerator",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1420,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-57",
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
						1100,
						180,
						50,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						318,
						106,
						50,
						18
					],
					"varname": "denominator",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Denominator",
							"parameter_shortname": "Denominator",
							"parameter_type": 2,
							"parameter_enum": [
								"Live",
								"2",
								"4",
								"8",
								"16"
							],
							"parameter_mmax": 4,
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
					"id": "obj-58",
					"maxclass": "newobj",
					"text": "prepend denominator",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1500,
						330,
						120,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-59",
					"maxclass": "comment",
					"text": "Daemon port",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						40,
						400,
						80,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						440,
						116,
						70,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-60",
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
						512,
						117,
						48,
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
					"id": "obj-61",
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
					"id": "obj-62",
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
					"id": "obj-63",
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
					"id": "obj-64",
					"maxclass": "comment",
					"text": "Reply port",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						260,
						400,
						80,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						440,
						132,
						70,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-65",
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
						512,
						133,
						48,
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
					"id": "obj-66",
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
					"id": "obj-67",
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
					"id": "obj-68",
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
					"id": "obj-69",
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
					"id": "obj-70",
					"maxclass": "newobj",
					"text": "t b b b",
					"numinlets": 1,
					"numoutlets": 3,
					"outlettype": [
						"bang",
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
					"id": "obj-71",
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
					"id": "obj-72",
					"maxclass": "newobj",
					"text": "metro 250",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						"bang"
					],
					"patching_rect": [
						100,
						600,
						60,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-73",
					"maxclass": "message",
					"text": "tick",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						100,
						630,
						40,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-74",
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
					"id": "obj-75",
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
					"id": "obj-76",
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
					"id": "obj-77",
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
					"id": "obj-78",
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
					"id": "obj-79",
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
					"id": "obj-80",
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
					"id": "obj-84",
					"maxclass": "newobj",
					"text": "midiin",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						"int"
					],
					"patching_rect": [
						1000,
						440,
						40,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-85",
					"maxclass": "newobj",
					"text": "midiout",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1000,
						480,
						47,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-86",
					"maxclass": "comment",
					"text": "A MIDI Effect passes every incoming MIDI message on: the Drum Rack after this device still hears the track's clips.",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1060,
						440,
						220,
						48
					],
					"linecount": 3
				}
			},
			{
				"box": {
					"id": "obj-100",
					"maxclass": "comment",
					"text": "Your clip (selected scene)",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1300,
						40,
						160,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						616,
						2,
						140,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-101",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"parameter_enable": 1,
					"patching_rect": [
						1300,
						60,
						60,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						616,
						22,
						66,
						20
					],
					"varname": "continue_clip",
					"mode": 0,
					"text": "Continue",
					"texton": "Continue",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Continue",
							"parameter_shortname": "Continue",
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
					"id": "obj-102",
					"maxclass": "message",
					"text": "continueclip",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1300,
						140,
						80,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-103",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"parameter_enable": 1,
					"patching_rect": [
						1380,
						60,
						60,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						686,
						22,
						66,
						20
					],
					"varname": "groove_clip",
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
					"id": "obj-104",
					"maxclass": "message",
					"text": "grooveclip",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1380,
						170,
						70,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-105",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"parameter_enable": 1,
					"patching_rect": [
						1460,
						60,
						60,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						616,
						44,
						66,
						18
					],
					"varname": "vary_clip",
					"mode": 0,
					"text": "Vary",
					"texton": "Vary",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Vary",
							"parameter_shortname": "Vary",
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
					"id": "obj-106",
					"maxclass": "message",
					"text": "varyclip",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1460,
						200,
						60,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-107",
					"maxclass": "comment",
					"text": "Keep",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1540,
						40,
						40,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						686,
						44,
						30,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-108",
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
						1540,
						60,
						110,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						616,
						66,
						136,
						18
					],
					"varname": "keep",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Keep",
							"parameter_shortname": "Keep",
							"parameter_type": 2,
							"parameter_enum": [
								"Kick + Snare",
								"Kick",
								"Snare",
								"Hats",
								"Kick+Snare+Hats",
								"All but last bar",
								"Nothing"
							],
							"parameter_mmax": 6,
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
					"id": "obj-109",
					"maxclass": "newobj",
					"text": "prepend keep",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1540,
						330,
						100,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-110",
					"maxclass": "comment",
					"text": "Kit override (kick:36 snare:38)",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1300,
						240,
						180,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						616,
						88,
						150,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-111",
					"maxclass": "textedit",
					"numinlets": 1,
					"numoutlets": 4,
					"outlettype": [
						"",
						"int",
						"",
						""
					],
					"parameter_enable": 0,
					"patching_rect": [
						1300,
						260,
						160,
						36
					],
					"presentation": 1,
					"presentation_rect": [
						616,
						106,
						150,
						36
					],
					"varname": "kit_override"
				}
			},
			{
				"box": {
					"id": "obj-112",
					"maxclass": "newobj",
					"text": "prepend kitoverride",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1300,
						360,
						110,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-113",
					"maxclass": "comment",
					"text": "Song (locators, else Form)",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1700,
						40,
						160,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						774,
						2,
						150,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-114",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"parameter_enable": 1,
					"patching_rect": [
						1700,
						60,
						60,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						774,
						22,
						66,
						20
					],
					"varname": "song",
					"mode": 0,
					"text": "Song",
					"texton": "Song",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Song",
							"parameter_shortname": "Song",
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
					"id": "obj-115",
					"maxclass": "message",
					"text": "song",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1700,
						140,
						40,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-116",
					"maxclass": "comment",
					"text": "Form (intro:4 verse:8 chorus:8)",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						1700,
						240,
						180,
						18
					],
					"presentation": 1,
					"presentation_rect": [
						774,
						44,
						150,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-117",
					"maxclass": "textedit",
					"numinlets": 1,
					"numoutlets": 4,
					"outlettype": [
						"",
						"int",
						"",
						""
					],
					"parameter_enable": 0,
					"patching_rect": [
						1700,
						260,
						160,
						36
					],
					"presentation": 1,
					"presentation_rect": [
						774,
						62,
						150,
						36
					],
					"varname": "song_form"
				}
			},
			{
				"box": {
					"id": "obj-118",
					"maxclass": "newobj",
					"text": "prepend songform",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1700,
						360,
						110,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-130",
					"maxclass": "newobj",
					"text": "pattr kit_override_text",
					"numinlets": 1,
					"numoutlets": 3,
					"outlettype": [
						"",
						"",
						""
					],
					"patching_rect": [
						1300,
						420,
						150,
						22
					],
					"varname": "kit_override_text",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_invisible": 1,
							"parameter_longname": "Kit Override Text",
							"parameter_shortname": "Kit Text",
							"parameter_type": 3,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								"text"
							]
						}
					},
					"saved_object_attributes": {
						"parameter_enable": 1,
						"parameter_mappable": 0
					},
					"restore": [
						"text"
					]
				}
			},
			{
				"box": {
					"id": "obj-131",
					"maxclass": "newobj",
					"text": "route text",
					"numinlets": 2,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						1300,
						460,
						70,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-132",
					"maxclass": "newobj",
					"text": "route bang",
					"numinlets": 2,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						1300,
						500,
						70,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-133",
					"maxclass": "message",
					"text": "clear",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1300,
						540,
						40,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-134",
					"maxclass": "newobj",
					"text": "prepend set",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1380,
						540,
						72,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-135",
					"maxclass": "newobj",
					"text": "pattr song_form_text",
					"numinlets": 1,
					"numoutlets": 3,
					"outlettype": [
						"",
						"",
						""
					],
					"patching_rect": [
						1700,
						420,
						150,
						22
					],
					"varname": "song_form_text",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_invisible": 1,
							"parameter_longname": "Song Form Text",
							"parameter_shortname": "Form Text",
							"parameter_type": 3,
							"parameter_initial_enable": 1,
							"parameter_initial": [
								"text"
							]
						}
					},
					"saved_object_attributes": {
						"parameter_enable": 1,
						"parameter_mappable": 0
					},
					"restore": [
						"text"
					]
				}
			},
			{
				"box": {
					"id": "obj-136",
					"maxclass": "newobj",
					"text": "route text",
					"numinlets": 2,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						1700,
						460,
						70,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-137",
					"maxclass": "newobj",
					"text": "route bang",
					"numinlets": 2,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"patching_rect": [
						1700,
						500,
						70,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-138",
					"maxclass": "message",
					"text": "clear",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1700,
						540,
						40,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-139",
					"maxclass": "newobj",
					"text": "prepend set",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						1780,
						540,
						72,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-140",
					"maxclass": "comment",
					"text": "Learn style: name, then Learn",
					"numinlets": 1,
					"numoutlets": 0,
					"patching_rect": [
						2000,
						40,
						160,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						774,
						100,
						150,
						18
					]
				}
			},
			{
				"box": {
					"id": "obj-141",
					"maxclass": "textedit",
					"numinlets": 1,
					"numoutlets": 4,
					"outlettype": [
						"",
						"int",
						"",
						""
					],
					"parameter_enable": 0,
					"patching_rect": [
						2000,
						260,
						160,
						22
					],
					"presentation": 1,
					"presentation_rect": [
						774,
						118,
						96,
						20
					],
					"varname": "learn_name"
				}
			},
			{
				"box": {
					"id": "obj-142",
					"maxclass": "newobj",
					"text": "prepend learnname",
					"numinlets": 1,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						2000,
						360,
						110,
						22
					]
				}
			},
			{
				"box": {
					"id": "obj-143",
					"maxclass": "live.text",
					"numinlets": 1,
					"numoutlets": 2,
					"outlettype": [
						"",
						""
					],
					"parameter_enable": 1,
					"patching_rect": [
						2000,
						60,
						60,
						20
					],
					"presentation": 1,
					"presentation_rect": [
						874,
						118,
						50,
						20
					],
					"varname": "learn_style",
					"mode": 0,
					"text": "Learn",
					"texton": "Learn",
					"saved_attribute_attributes": {
						"valueof": {
							"parameter_longname": "Learn Style",
							"parameter_shortname": "Learn",
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
					"id": "obj-144",
					"maxclass": "message",
					"text": "learnstyle",
					"numinlets": 2,
					"numoutlets": 1,
					"outlettype": [
						""
					],
					"patching_rect": [
						2000,
						140,
						70,
						22
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
						"obj-12",
						0
					],
					"source": [
						"obj-11",
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
						"obj-12",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-162",
						0
					],
					"source": [
						"obj-161",
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
						"obj-162",
						0
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
						"obj-18",
						0
					],
					"source": [
						"obj-17",
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
						"obj-18",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-21",
						0
					],
					"source": [
						"obj-19",
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
						"obj-21",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-23",
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
						"obj-1",
						0
					],
					"source": [
						"obj-23",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-27",
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
						"obj-27",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-26",
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
						"obj-30",
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
						"obj-1",
						0
					],
					"source": [
						"obj-30",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-33",
						0
					],
					"source": [
						"obj-31",
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
						"obj-33",
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
						"obj-34",
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
						"obj-39",
						0
					],
					"source": [
						"obj-38",
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
						"obj-39",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-41",
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
						"obj-41",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-44",
						0
					],
					"source": [
						"obj-43",
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
						"obj-44",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-47",
						0
					],
					"source": [
						"obj-45",
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
						"obj-47",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-83",
						0
					],
					"source": [
						"obj-81",
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
						"obj-83",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-50",
						0
					],
					"source": [
						"obj-49",
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
						"obj-50",
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
						"obj-52",
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
						"obj-1",
						0
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
						"obj-58",
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
						"obj-61",
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
						"obj-62",
						0
					],
					"source": [
						"obj-61",
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
						"obj-62",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-63",
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
						"obj-1",
						0
					],
					"source": [
						"obj-63",
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
						"obj-65",
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
						"obj-67",
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
						"obj-66",
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
						"obj-68",
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
						"obj-69",
						0
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
						"obj-70",
						2
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
						"obj-71",
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
						1
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
						"obj-74",
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
						"obj-74",
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
						"obj-75",
						0
					],
					"source": [
						"obj-74",
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
						"obj-75",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-76",
						0
					],
					"source": [
						"obj-74",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-76",
						1
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
						"obj-77",
						0
					],
					"source": [
						"obj-76",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-78",
						0
					],
					"source": [
						"obj-77",
						1
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-79",
						0
					],
					"source": [
						"obj-77",
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
						"obj-78",
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
						"obj-79",
						0
					]
				}
			},
			{
				"patchline": {
					"source": [
						"obj-84",
						0
					],
					"destination": [
						"obj-85",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-102",
						0
					],
					"source": [
						"obj-101",
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
						"obj-102",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-104",
						0
					],
					"source": [
						"obj-103",
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
						"obj-104",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-106",
						0
					],
					"source": [
						"obj-105",
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
						"obj-106",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-109",
						0
					],
					"source": [
						"obj-108",
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
						"obj-109",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-112",
						0
					],
					"source": [
						"obj-111",
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
						"obj-112",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-115",
						0
					],
					"source": [
						"obj-114",
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
						"obj-115",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-118",
						0
					],
					"source": [
						"obj-117",
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
						"obj-118",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-130",
						0
					],
					"source": [
						"obj-111",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-112",
						0
					],
					"source": [
						"obj-130",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-131",
						0
					],
					"source": [
						"obj-130",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-132",
						0
					],
					"source": [
						"obj-131",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-134",
						0
					],
					"source": [
						"obj-131",
						1
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-133",
						0
					],
					"source": [
						"obj-132",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-134",
						0
					],
					"source": [
						"obj-132",
						1
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-111",
						0
					],
					"source": [
						"obj-133",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-111",
						0
					],
					"source": [
						"obj-134",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-135",
						0
					],
					"source": [
						"obj-117",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-118",
						0
					],
					"source": [
						"obj-135",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-136",
						0
					],
					"source": [
						"obj-135",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-137",
						0
					],
					"source": [
						"obj-136",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-139",
						0
					],
					"source": [
						"obj-136",
						1
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-138",
						0
					],
					"source": [
						"obj-137",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-139",
						0
					],
					"source": [
						"obj-137",
						1
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-117",
						0
					],
					"source": [
						"obj-138",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-117",
						0
					],
					"source": [
						"obj-139",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-142",
						0
					],
					"source": [
						"obj-141",
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
						"obj-142",
						0
					]
				}
			},
			{
				"patchline": {
					"destination": [
						"obj-144",
						0
					],
					"source": [
						"obj-143",
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
						"obj-144",
						0
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
