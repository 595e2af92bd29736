import NumericalCore
import OptimalTransport
import XCTest

/// Bad input gets one clear sentence, never a crash.
final class BadInputTests: XCTestCase {
    func assertThrows(_ expression: @autoclosure () throws -> some Any, mentioning words: String,
                      file: StaticString = #filePath, line: UInt = #line) {
        XCTAssertThrowsError(try expression(), file: file, line: line) { error in
            XCTAssertTrue("\(error)".contains(words), "message was: \(error)", file: file, line: line)
        }
    }

    func testMeasureValidation() {
        let points = Matrix([[0, 0], [1, 1], [2, 0]])
        assertThrows(try DiscreteMeasure(points: points, weights: [0.5, 0.5]), mentioning: "3 points but 2 weights")
        assertThrows(try DiscreteMeasure(points: points, weights: [0.5, 0.7, -0.2]), mentioning: "non-negative")
        assertThrows(try DiscreteMeasure(points: points, weights: [1, 1, 1]), mentioning: "normalise")
        assertThrows(try DiscreteMeasure(points: points, weights: [0, 0, 0], requireUnitMass: false), mentioning: "all weights are zero")
        assertThrows(try DiscreteMeasure(points: points, weights: [0.5, .nan, 0.5]), mentioning: "finite")
        assertThrows(try DiscreteMeasure(points: Matrix([[0, .nan], [1, 1]])), mentioning: "point 0 has a NaN")
        assertThrows(try DiscreteMeasure(points: Matrix(rows: 0, columns: 2)), mentioning: "no points")
        XCTAssertNoThrow(try DiscreteMeasure(points: points, weights: [1, 1, 1], requireUnitMass: false))
    }

    func testProblemAndSolverValidation() throws {
        let flat = Matrix([[0.0], [1]]), plane = Matrix([[0, 0], [1, 1]])
        assertThrows(try TransportProblem(sourcePoints: flat, targetPoints: plane), mentioning: "same number of columns")
        assertThrows(try TransportProblem(costMatrix: Matrix(rows: 2, columns: 3), sourceWeights: [0.5, 0.5], targetWeights: [1]),
                     mentioning: "2×3")
        let weighted = try TransportProblem(source: DiscreteMeasure(points: plane, weights: [0.3, 0.7]), target: .uniform(plane))
        assertThrows(try AssignmentSolver().solve(weighted), mentioning: "uniform weights")
        let unequal = try TransportProblem(sourcePoints: plane, targetPoints: Matrix([[0, 0], [1, 1], [2, 2]]))
        assertThrows(try AssignmentSolver().solve(unequal), mentioning: "as many target points")
        XCTAssertNoThrow(try ExactTransport.solve(unequal))
        assertThrows(try QuantileTransport.solve(source: .uniform(plane), target: .uniform(plane)), mentioning: "one-dimensional")
        assertThrows(try ExactTransport.wassersteinDistance(flat, plane), mentioning: "columns")
        assertThrows(try CloudDistance.mmd.evaluate(flat, plane), mentioning: "columns")
        assertThrows(try CloudDistance.sliced.evaluate(Matrix([[0, .infinity]]), plane), mentioning: "infinite")
        let heavy = try TransportProblem(source: DiscreteMeasure(points: plane, weights: [1, 1], requireUnitMass: false),
                                         target: .uniform(plane))
        assertThrows(try ShortestPathTransportSolver().solve(heavy), mentioning: "differs from the target mass")
    }
}
